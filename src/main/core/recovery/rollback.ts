import { RiggerError } from '../../../shared/errors';
import type { SlotId } from '../../../shared/profile';
import { otherSlot } from '../bootloader/slots';
import type { SlotRecord } from '../gateways/status-file';
import { readRecords } from '../ota/status-record';
import type { RecoveryDeps } from './context';

export interface RollbackPlan {
  booted: SlotId;
  target: SlotId;
  record: { version: string; sha256: string; size: number };
  fromVersion: string | null;
}

const refuse = (message: string, why: string, details: Record<string, unknown>, next: string[]) =>
  new RiggerError('OTA_012', message, { reason: why, ...details }, next);

/**
 * What a rollback would switch to, or OTA_012 with why not: rollbacks turned off, the boot
 * state not known for sure, the slot asked for is the booted one, or the other slot holds no
 * image Rigger knows (its record was cleared when a write started, or never existed). The
 * image's own bytes are proven by the gateway's hash before the switch (the job's first check).
 */
export async function planRollback(
  d: RecoveryDeps,
  gateway: string,
  wanted?: SlotId,
): Promise<RollbackPlan> {
  if (!d.settings.get().recovery.rollback_enabled) {
    throw refuse('Rollbacks are turned off in Settings', 'disabled', {}, [
      'Turn on recovery.rollback_enabled in Settings',
    ]);
  }
  const status = await d.gateways.status(gateway, 'pinned-only');
  const boot = status.boot;
  if (!boot?.consistent || !boot.booted_slot) {
    throw refuse(
      'The booted slot is not known for sure: nothing to roll back from',
      'boot_state_unknown',
      { warnings: status.warnings },
      ['Look at the gateway status', 'Fix the boot environment from the serial console'],
    );
  }
  const booted = boot.booted_slot;
  const target = wanted ?? otherSlot(booted);
  if (target === booted) {
    throw refuse(`Slot ${target} is already the booted slot`, 'already_booted', { booted }, [
      `Roll back to slot ${otherSlot(booted)} instead`,
    ]);
  }
  const { profile, session } = await d.gateways.session(gateway);
  const records = await readRecords(session, profile.status_file);
  const rec = records[target] as Partial<SlotRecord> | undefined;
  if (!rec?.sha256 || !rec.size || !rec.version) {
    throw refuse(
      `Slot ${target} holds no image known to be good: there is nothing to roll back to`,
      'no_known_image',
      { slot: target, status_file: profile.status_file },
      [
        `Slot ${target} was cleared when a write started, or never held a recorded image`,
        'Install an image into it instead (Updates)',
      ],
    );
  }
  return {
    booted,
    target,
    record: { version: rec.version, sha256: rec.sha256, size: rec.size },
    fromVersion: status.partitions.active.version,
  };
}
