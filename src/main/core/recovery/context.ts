import type { Profile } from '../../../shared/profile';
import type { JobFlowDeps } from '../ota/context';
import type { MonitorService } from '../monitor/service';
import type { SnapshotBackups } from '../backup/snapshot-compat';

/** What the recovery flows use: the job flow's pieces (jobs, safety, waits) and the backups. */
export interface RecoveryDeps extends JobFlowDeps {
  /** Snapshots are backups: the backup area's view of them (built after this area). */
  backups: () => SnapshotBackups;
  monitor: MonitorService;
}

/** A gateway path as tar stores it (relative to /), and back. */
export const rel = (p: string) => p.replace(/^\/+/, '').replace(/\/+$/, '');
export const abs = (p: string) => `/${rel(p)}`;

/** The gateway paths a snapshot of this kind holds. */
export function snapshotPaths(
  profile: Profile,
  o: { include_data: boolean; include_config: boolean; include_logs: boolean },
): string[] {
  const paths = o.include_data || o.include_config ? [...profile.data_paths] : [];
  if (o.include_logs) paths.push(...profile.log_paths);
  return [...new Set(paths.map(abs))];
}
