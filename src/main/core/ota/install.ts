import { RiggerError } from '../../../shared/errors';
import type { SlotId } from '../../../shared/profile';
import { schemeFor } from '../bootloader/scheme';
import type { JobBody, JobContext } from '../jobs/engine';
import { streamingSession, type JobFlowDeps, type SnapshotPort } from './context';
import { rebootProven } from './boot-proof';
import { writeEnv } from './env-write';
import {
  countdown,
  deliverReboot,
  safeToProceed,
  waitForGateway,
  waitForProvenBoot,
  waitHealthy,
} from './waits';
import { gatewayPrefixHash } from '../slots/read-back';

/** What the install phase uses; a rollback (recovery's) installs without the snapshot port. */
export interface InstallDeps extends JobFlowDeps {
  snapshot?: SnapshotPort;
}

export interface InstallParams {
  reboot_delay: number;
  verify_installation: boolean;
  create_snapshot: boolean;
}

const CONSOLE_ADVICE = [
  'Connect the serial console (115200 8N1) and look at what the gateway prints',
  'If U-Boot is stuck, switch back to the old slot from its prompt (rigger console)',
  'Then run `rigger status` and `rigger jobs` to see where the job stopped',
];

/**
 * The install phase: safety, try-boot vars in one atomic write, reboot, reconnect, then commit
 * only if the new slot booted and is healthy. Back on the old slot is a rollback.
 */
export function installBody(d: InstallDeps, gateway: string, p: InstallParams): JobBody {
  return async (ctx) => {
    const st = ctx.row().state;
    const target = st.target as SlotId;
    const booted = st.booted as SlotId;
    const sha = String(ctx.row().result?.sha256 ?? st.sha256 ?? '');
    if (!st.verified) {
      throw new RiggerError(
        'OTA_013',
        'The image of this job was not written and verified: nothing to install',
        { job_id: ctx.id },
        ['Run or resume the download first'],
      );
    }
    ctx.state({ phase: 'install', resumable: false });
    const { profile } = await streamingSession(d, gateway);
    const scheme = schemeFor(profile);
    const tryVars = scheme.tryBoot(target, profile);

    if (!st.switched) {
      ctx.setStatus('installing', 'safety_check');
      await ctx.step('safety_check_switch', () =>
        safeToProceed(d, ctx, gateway, 'switching the boot slot'),
      );
      if (p.create_snapshot && !ctx.row().state.backup_id) {
        if (!d.snapshot) {
          throw new RiggerError('VALIDATION_ERROR', 'Backups are not available here', {}, [
            'Install without create_snapshot',
          ]);
        }
        // The data paths go to this laptop before the switch: restorable if the update goes wrong.
        const { backup_id } = await d.snapshot(gateway, ctx, 'Automatic backup before update');
        ctx.state({ backup_id });
        ctx.setStatus('installing', 'safety_check');
      }
      await ctx.step('recheck_slot', async () => {
        const { session } = await streamingSession(d, gateway);
        const status = await d.gateways.status(gateway, 'pinned-only');
        if (status.boot?.booted_slot !== booted || !status.boot.consistent) {
          throw new RiggerError(
            'OTA_008',
            `The gateway no longer boots slot ${booted} as when the image was written`,
            { expected_booted: booted, booted: status.boot?.booted_slot ?? null },
            ['Start a new update'],
          );
        }
        // What proves the reboot later: the kernel's boot id before it.
        ctx.state({ boot_id_before: status.boot.boot_id ?? null });
        if (p.verify_installation) {
          ctx.setStatus('installing', 'verifying_slot_before_switch');
          // The image's size as the job was started with it (a snapshot step reports other totals).
          const size = Number(ctx.row().params.size ?? ctx.row().bytes_total);
          const actual = await gatewayPrefixHash(session, profile.slots[target].device, size);
          if (actual !== sha) {
            throw new RiggerError(
              'OTA_007',
              `Slot ${target} changed since it was verified`,
              { expected: `sha256:${sha}`, actual: `sha256:${actual}` },
              ['Run the update again'],
            );
          }
        }
      });
      await ctx.step('safety_check_reboot', () => safeToProceed(d, ctx, gateway, 'rebooting'));
      ctx.setStatus('installing', 'updating_bootloader');
      await ctx.step(
        'try_boot',
        async () => {
          const { session } = await streamingSession(d, gateway);
          await writeEnv(session, profile, tryVars, 'try-boot');
        },
        { vars: tryVars },
      );
      ctx.state({ switched: true });
      await countdown(d, ctx, gateway, p.reboot_delay);
      ctx.setStatus('rebooting', 'rebooting');
      const proven = rebootProven(target, tryVars, bootIdBefore(ctx));
      await ctx.step('reboot', () => deliverReboot(d, gateway, proven, ctx.signal));
    }
    return afterReboot(d, ctx, gateway, target, booted, tryVars);
  };
}

/** The boot id read before the switch (absent in a job journaled before Rigger read it). */
const bootIdBefore = (ctx: JobContext): string | null | undefined => {
  const v = ctx.row().state.boot_id_before;
  return typeof v === 'string' ? v : v === null ? null : undefined;
};

/** Reconnect, tell success from rollback from silence, and commit only a healthy new slot. */
async function afterReboot(
  d: InstallDeps,
  ctx: JobContext,
  gateway: string,
  target: SlotId,
  booted: SlotId,
  tryVars: Record<string, string>,
) {
  ctx.setStatus('verifying_boot', 'waiting_for_gateway');
  const rebooted = rebootProven(target, tryVars, bootIdBefore(ctx));
  const again = async () => {
    d.events.emit({
      type: 'system_event',
      event: 'reboot_resent',
      message: `${gateway} is still up on its old system: sending the reboot again`,
      timestamp: new Date().toISOString(),
    });
    await deliverReboot(d, gateway, rebooted, ctx.signal);
  };
  const back = await ctx.step('reconnect', () =>
    waitForProvenBoot(d, gateway, rebooted, ctx.signal, again),
  );
  if (!back) {
    throw new RiggerError(
      'HOST_UNREACHABLE',
      `${gateway} did not come back within ${Math.round(d.timings.rebootWaitMs / 1000)} s after the reboot`,
      { target, bootloader_falls_back: true },
      CONSOLE_ADVICE,
    );
  }
  if (back.boot?.booted_slot !== target) {
    ctx.state({ rollback: true });
    throw new RiggerError(
      'OTA_012',
      `The gateway came back on slot ${back.boot?.booted_slot ?? '?'}: the bootloader rolled back from slot ${target}`,
      {
        rollback: true,
        target,
        booted: back.boot?.booted_slot ?? null,
        reason: 'new slot failed to boot',
      },
      [
        'Look at the new image: it did not boot on this gateway',
        'The gateway runs its previous version',
      ],
    );
  }
  ctx.setStatus('verifying_boot', 'health_check');
  const healthy = await ctx.step('health_check', () => waitHealthy(d, gateway));
  const { profile, session } = await streamingSession(d, gateway);
  const scheme = schemeFor(profile);
  if (!healthy) {
    // Unhealthy: never commit. Select the old slot again and reboot into it (a rollback).
    await ctx.step('rollback', async () => {
      await safeToProceed(d, ctx, gateway, 'rolling back');
      await writeEnv(session, profile, scheme.disable(target, booted, profile), 'rollback');
      await session.exec(profile.reboot_command, { timeoutMs: 15000 }).catch(() => undefined);
    });
    ctx.state({ rollback: true });
    const old = await waitForGateway(d, gateway, (s) => s.boot?.booted_slot === booted, ctx.signal);
    throw new RiggerError(
      'OTA_012',
      `Slot ${target} booted but failed its health check; rolled back to slot ${booted}${old ? '' : ' (the gateway has not come back yet)'}`,
      {
        rollback: true,
        target,
        booted: old?.boot?.booted_slot ?? null,
        reason: 'health check failed',
      },
      old ? ['The gateway runs its previous version', 'Check the new image'] : CONSOLE_ADVICE,
    );
  }
  ctx.setStatus('verifying_boot', 'committing');
  await ctx.step('commit', () =>
    writeEnv(session, profile, scheme.commit(target, profile), 'commit'),
  );
  return {
    message: `Slot ${target} booted healthy and is committed`,
    result: {
      target,
      committed: true,
      rollback: false,
      version: back.partitions.active.version,
      // The pre-ota backup taken before the switch (install's create_snapshot), if any.
      backup_id: typeof ctx.row().state.backup_id === 'string' ? ctx.row().state.backup_id : null,
    },
  };
}
