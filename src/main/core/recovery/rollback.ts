import type { OperationOutput } from '../../../shared/api';
import { RiggerError } from '../../../shared/errors';
import type { RollbackInput } from '../../../shared/recovery';
import type { SlotId } from '../../../shared/profile';
import { otherSlot } from '../bootloader/slots';
import type { SlotRecord } from '../gateways/status-file';
import { installBody } from '../ota/install';
import { readRecords } from '../slots/status-record';
import { noteEstimate } from '../jobs/estimate';
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
 * state not known for sure, the slot asked for is the booted one, the other slot holds no
 * image Rigger knows (its record was cleared when a write started, or never existed), or the
 * environment disagrees with the record (rauc gave the slot up; it last fell back). The
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
  // The environment must agree that the slot can boot: a slot the bootloader has given up on
  // (rauc: no tries left) or whose last boot by Rigger fell back is not known good, whatever
  // its record says.
  const left = boot.slots[target].attempts_left;
  if (boot.scheme === 'rauc' && left === 0) {
    throw refuse(
      `Slot ${target} is recorded as ${rec.version}, but the bootloader environment marks it unbootable (BOOT_${target}_LEFT=0): status file and environment disagree`,
      'environment_disagrees',
      { slot: target, version: rec.version, attempts_left: 0 },
      [`Reinstall slot ${target} from the image library`, 'Restore a snapshot with its slot image'],
    );
  }
  const last = d.engine.store
    .list({ gateway, statuses: ['success', 'failed'], limit: 200 })
    .find((j) => j.state.target === target && (j.state.switched || j.status === 'success'));
  if (last && last.status === 'failed' && last.state.rollback === true) {
    throw refuse(
      `Slot ${target} (${rec.version}) failed to boot healthy in job ${last.id}: it is not known good`,
      'failed_to_boot',
      { slot: target, version: rec.version, job_id: last.id },
      [`Reinstall slot ${target} from the image library`, 'Look at the job: rigger jobs'],
    );
  }
  return {
    booted,
    target,
    record: { version: rec.version, sha256: rec.sha256, size: rec.size },
    fromVersion: status.partitions.active.version,
  };
}

/**
 * Start a rollback: the plan (OTA_012 when none), safety before anything, an optional debug
 * bundle, then the install phase on the other slot, which proves its image before switching.
 */
export async function startRollback(
  d: RecoveryDeps,
  req: RollbackInput,
  by?: string,
): Promise<OperationOutput<'recovery.rollback'>> {
  const wanted: SlotId | undefined =
    req.action === 'rollback_to_a' ? 'A' : req.action === 'rollback_to_b' ? 'B' : undefined;
  const plan = await planRollback(d, req.gateway, wanted);
  d.engine.assertFree(req.gateway);
  // Rule 7 before anything (a diagnostic bundle included): a blocking signal refuses at once
  // with OTA_002 and its details, unless an override is active. The job checks again.
  await d.safety.check(req.gateway, 'rolling back');
  let diagnostic: string | null = null;
  if (req.create_diagnostic_report) {
    const bundle = await d.monitor.debug(req.gateway, {
      include_logs: true,
      include_config: true,
      include_system_info: true,
      compression: 'gzip',
    });
    diagnostic = bundle.bundle_id;
  }
  const row = d.engine.create({
    gateway: req.gateway,
    type: 'rollback',
    subtype: 'rollback',
    started_by: by ?? 'local',
    params: {
      version: plan.record.version,
      size: plan.record.size,
      reason: req.reason,
      from_version: plan.fromVersion,
      diagnostic_report_id: diagnostic,
    },
    // The slot already holds its image: the install phase proves it (the gateway's hash
    // against the record) before it switches.
    state: {
      target: plan.target,
      booted: plan.booted,
      verified: true,
      sha256: plan.record.sha256,
      phase: 'install',
    },
  });
  d.engine.store.update(row.id, { bytes_total: plan.record.size });
  d.audit.record({
    action: 'recovery.rollback',
    outcome: 'ok',
    details: { gateway: req.gateway, job: row.id, to: plan.target, reason: req.reason },
  });
  void d.engine.run(
    row.id,
    installBody(d, req.gateway, {
      reboot_delay: req.reboot_delay,
      verify_installation: true,
      create_snapshot: false,
    }),
  );
  return {
    status: 'rolling_back' as const,
    action:
      plan.target === 'A' ? ('switch_to_partition_a' as const) : ('switch_to_partition_b' as const),
    rollback_id: row.id,
    from_version: plan.fromVersion,
    to_version: plan.record.version,
    estimated_time: noteEstimate(d.engine.store, row.id, {
      gateway: req.gateway,
      type: 'rollback',
      rebootDelay: req.reboot_delay,
    }),
    warning: 'Gateway will reboot during rollback',
    data_preserved: true,
    diagnostic_report_id: diagnostic,
  };
}
