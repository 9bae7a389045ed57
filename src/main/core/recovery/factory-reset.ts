import type { OperationOutput } from '../../../shared/api';
import { RiggerError } from '../../../shared/errors';
import type { FactoryInput } from '../../../shared/recovery';
import { run } from '../gateways/session';
import type { JobBody } from '../jobs/engine';
import { nowIso } from '../util/time';
import { deliverReboot, waitForGateway } from '../ota/waits';
import { noteEstimate } from '../jobs/estimate';
import type { RecoveryDeps } from './context';

/** Refuse a factory reset the settings do not allow (OTA_011), before any PIN is tried. */
export function assertResetEnabled(d: RecoveryDeps, gateway: string): void {
  if (!d.settings.get().recovery.factory_reset_enabled) {
    throw new RiggerError('OTA_011', 'Factory resets are turned off in Settings', { gateway }, [
      'Turn on recovery.factory_reset_enabled in Settings (needs the site’s approval)',
    ]);
  }
}

/** Refuse a factory reset the settings or the crane's signals do not allow (OTA_011). */
export async function assertResetAllowed(d: RecoveryDeps, gateway: string): Promise<void> {
  assertResetEnabled(d, gateway);
  const s = await d.safety.status(gateway);
  if (!s.update_allowed) {
    const blocking = Object.entries(s.constraints)
      .filter(([, c]) => (c as { blocking?: boolean }).blocking)
      .map(([name]) => name);
    throw new RiggerError(
      'OTA_011',
      `Factory reset not allowed now: ${blocking.join(', ')} blocks it`,
      { gateway, blocking, safety_score: s.safety_score },
      ['Wait until the crane is parked and safe', ...s.recommendations],
    );
  }
}

/** The emergency backup a factory reset made (with `backup_config`), or null. */
type MadeBackup = { backup_id: string; path: string } | null;

/**
 * Factory reset: the emergency backup of the configuration first (a snapshot kept on this
 * laptop), the safety signals read again, the profile's reset command, then a reboot and
 * the wait for the gateway to answer again.
 */
function factoryBody(
  d: RecoveryDeps,
  gateway: string,
  req: FactoryInput,
  onBackup: (made: MadeBackup) => void,
): JobBody {
  return async (ctx) => {
    let backup: MadeBackup = null;
    if (req.backup_config) {
      backup = await d
        .backups()
        .inJob(
          gateway,
          ctx,
          'emergency-before-factory-reset',
          `Emergency backup before a factory reset: ${req.reason}`,
        );
      ctx.state({ backup_id: backup.backup_id });
    }
    onBackup(backup);
    ctx.setStatus('installing', 'resetting');
    await ctx.step('safety_check', () => assertResetAllowed(d, gateway));
    // Any session will do for one command: over SSH, or a Linux shell at the serial console.
    const { profile, session } = await d.gateways.session(gateway);
    const out = await ctx.step('factory_reset', () =>
      run(
        session,
        `RIGGER_RESET_TYPE=${req.reset_type} RIGGER_PRESERVE_NETWORK=${req.preserve_network ? 1 : 0} ${profile.factory_reset_command}`,
        { timeoutMs: 30 * 60_000 },
      ),
    );
    ctx.setStatus('rebooting', 'rebooting');
    await ctx.step('reboot', () => deliverReboot(d, gateway, () => false, ctx.signal));
    ctx.setStatus('verifying_boot', 'waiting_for_gateway');
    const back = await ctx.step('reconnect', () =>
      waitForGateway(d, gateway, () => true, ctx.signal),
    );
    if (!back) {
      throw new RiggerError(
        'HOST_UNREACHABLE',
        `${gateway} did not come back after the factory reset`,
        { gateway },
        ['Connect the serial console and look at what the gateway prints'],
      );
    }
    return {
      message: `${gateway} was reset to factory state and is back (${back.partitions.active.version ?? 'version unknown'})`,
      result: {
        backup_id: backup?.backup_id ?? null,
        reset_type: req.reset_type,
        output: out.slice(-2000),
        version: back.partitions.active.version,
      },
    };
  };
}

/**
 * Start a factory reset: the setting, the PIN, the crane's signals, then the job; with
 * `backup_config` the answer waits until the emergency backup exists (nothing is reset without it).
 */
export async function startFactoryReset(
  d: RecoveryDeps,
  req: FactoryInput,
  by?: string,
): Promise<OperationOutput<'recovery.factory'>> {
  if (!req.confirm) {
    throw new RiggerError('VALIDATION_ERROR', 'A factory reset needs confirm: true', {}, [
      'Confirm by typing the gateway name in the dialog',
    ]);
  }
  // The setting first (no PIN attempt wasted), then the PIN, then the crane's signals.
  assertResetEnabled(d, req.gateway);
  if (req.backup_config && d.gateways.via(req.gateway) === 'serial') {
    throw new RiggerError(
      'VALIDATION_ERROR',
      `${req.gateway} is reached over its serial console, which is far too slow to carry an emergency backup`,
      { gateway: req.gateway, backup_config: true },
      [
        'Take a snapshot over SSH first if its network works',
        'Or reset without the emergency backup (backup_config: false): its data is lost',
      ],
    );
  }
  d.safety.verifyPin(req.pin, { gateway: req.gateway, action: 'factory reset' });
  await assertResetAllowed(d, req.gateway);
  d.engine.assertFree(req.gateway);
  d.audit.record({
    action: 'recovery.factory_reset',
    outcome: 'ok',
    details: { gateway: req.gateway, reset_type: req.reset_type, reason: req.reason },
  });
  const withBackup = req.backup_config;
  let backedUp!: (made: MadeBackup) => void;
  const backup = new Promise<MadeBackup>((resolve) => (backedUp = resolve));
  const row = d.engine.create({
    gateway: req.gateway,
    type: 'factory_reset',
    subtype: req.reset_type,
    started_by: by ?? 'local',
    params: { reason: req.reason, backup: withBackup, requested_at: nowIso() },
  });
  const done = d.engine.run(row.id, factoryBody(d, req.gateway, req, backedUp));
  // The answer says whether the emergency backup exists: wait for it (or for the job's end).
  const made = await Promise.race([backup, done.then(() => null)]);
  if (withBackup && !made) {
    const failed = d.engine.store.find(row.id);
    throw new RiggerError(
      failed?.error?.code ?? 'COMMAND_FAILED',
      `The emergency backup failed, so nothing was reset: ${failed?.error?.message ?? 'unknown error'}`,
      { job_id: row.id },
      ['Check the link to the gateway and its free space, then try again'],
    );
  }
  return {
    status: 'factory_reset_started' as const,
    reset_id: row.id,
    warning: 'ALL DATA WILL BE LOST. This action cannot be undone.',
    estimated_time: noteEstimate(d.engine.store, row.id, {
      gateway: req.gateway,
      type: 'factory_reset',
    }),
    steps: [
      ...(withBackup ? ['Creating emergency backup'] : []),
      'Wiping user data',
      'Resetting configurations',
      'Rebooting system',
    ],
    backup_created: !!made,
    backup_location: made ? made.path : null,
  };
}
