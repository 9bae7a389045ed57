import { RiggerError } from '../../../shared/errors';
import type { FactoryInput } from '../../../shared/recovery';
import { run } from '../gateways/session';
import type { JobBody } from '../jobs/engine';
import { deliverReboot, waitForGateway } from '../ota/waits';
import type { RecoveryDeps } from './context';
import { snapshotBody } from './snapshot-job';
import type { SnapshotRow } from './snapshot-store';

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

/**
 * Factory reset: the emergency backup of the configuration first (a snapshot kept on this
 * laptop), the safety signals read again, the profile's reset command, then a reboot and
 * the wait for the gateway to answer again.
 */
export function factoryBody(
  d: RecoveryDeps,
  gateway: string,
  req: FactoryInput,
  backupId: string | null,
  onBackup: (row: SnapshotRow | null) => void,
): JobBody {
  return async (ctx) => {
    let backup: SnapshotRow | null = null;
    if (backupId) {
      await snapshotBody(
        d,
        gateway,
        backupId,
        {
          gateway,
          name: 'emergency-before-factory-reset',
          description: `Emergency backup before a factory reset: ${req.reason}`,
          include_data: true,
          include_config: true,
          include_logs: false,
          include_slot: false,
          compression: 'gzip',
          priority: 'high',
          type: 'automatic',
        },
        (row) => (backup = row),
      )(ctx);
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
        backup_id: backupId,
        reset_type: req.reset_type,
        output: out.slice(-2000),
        version: back.partitions.active.version,
      },
    };
  };
}
