import { formatBytes } from '../../../shared/format/bytes';
import type { RecoveryStatus } from '../../../shared/recovery';
import { run, shq } from '../gateways/session';
import { readRecords } from '../slots/status-record';
import type { RecoveryDeps } from './context';
import { planRollback } from './rollback';

/** The seed's recovery status: the recovery image, the snapshots held, whether a rollback can run. */
export async function recoveryStatus(
  d: RecoveryDeps,
  gateway: string,
  withChecksum: boolean,
): Promise<RecoveryStatus> {
  const { profile, session } = await d.gateways.session(gateway);
  const device = profile.recovery?.device ?? null;
  let image: RecoveryStatus['recovery_image'] = {
    present: false,
    version: null,
    size: null,
    checksum: null,
    last_updated: null,
  };
  if (device) {
    const r = await session.exec(
      `d=${shq(device)}; [ -e "$d" ] || exit 3; if [ -b "$d" ]; then echo $(( $(cat /sys/class/block/$(basename "$(readlink -f "$d")")/size) * 512 )); else wc -c < "$d"; fi`,
    );
    if (r.code === 0) {
      const records = await readRecords(session, profile.status_file);
      const rec = records.recovery as { version?: string; installed_at?: string } | undefined;
      const bytes = Number(r.stdout.toString().trim());
      image = {
        present: true,
        version: rec?.version ?? null,
        size: Number.isFinite(bytes) ? formatBytes(bytes) : null,
        checksum: withChecksum
          ? `sha256:${(await run(session, `sha256sum ${shq(device)}`, { timeoutMs: 3600_000 })).split(/\s+/)[0]}`
          : null,
        last_updated: rec?.installed_at ?? null,
      };
    }
  }
  const o = d.settings.get().recovery;
  let rollback: RecoveryStatus['rollback'];
  try {
    const plan = await planRollback(d, gateway);
    rollback = {
      available: true,
      to_slot: plan.target,
      to_version: plan.record.version,
      reason: null,
    };
  } catch (err) {
    rollback = {
      available: false,
      to_slot: null,
      to_version: null,
      reason: (err as Error).message,
    };
  }
  return {
    recovery_image: image,
    snapshots: await d.backups().entries(gateway),
    recovery_options: {
      rollback_enabled: o.rollback_enabled,
      snapshot_enabled: o.snapshot_enabled,
      factory_reset_enabled: o.factory_reset_enabled,
      max_snapshots: o.max_snapshots,
      snapshot_retention_days: o.snapshot_retention_days,
    },
    rollback,
  };
}
