import type { CleanupLocationOutcome } from '../../../../shared/backup-places';
import type { BackupCatalog } from '../catalog';
import type { StorageLocation } from '../storage/location';
import { executePlan, type StoredPlan } from './plans';
import { removeRemoteCopies, type PendingDeletions } from './remote-copies';

export interface CleanupRun {
  plan_id: string;
  removed: string[];
  bytes_freed: number;
  /** One line per other location that held a copy of a removed backup. */
  locations: CleanupLocationOutcome[];
}

/**
 * Run a plan: its backups leave the local store first (a location that is down never holds
 * that up), then their copies leave every other location that holds them.
 */
export async function runCleanup(d: {
  plan: StoredPlan;
  catalog: BackupCatalog;
  home: string;
  open(location: string): StorageLocation;
  pending: PendingDeletions;
  onStep(progress: number, step: string): void;
}): Promise<CleanupRun> {
  const ids = new Set(d.plan.remove.map((r) => r.id));
  // Which locations hold a copy is known only while the backup is still in the catalog.
  const removedRecords = (await d.catalog.list()).filter((r) => ids.has(r.id));
  const local = await executePlan(d.plan, d.catalog, (n, total, id) =>
    d.onStep(Math.round((n / total) * 90), `removed ${id}`),
  );
  const locations = await removeRemoteCopies({
    removed: removedRecords,
    remaining: await d.catalog.list(),
    home: d.home,
    open: d.open,
    pending: d.pending,
  });
  for (const l of locations)
    d.onStep(
      95,
      l.status === 'unreachable'
        ? `${l.location} is unreachable: ${l.files_pending} files to remove at the next sync`
        : `removed ${l.files_removed} files at ${l.location}`,
    );
  d.onStep(100, 'completed');
  return { ...local, locations };
}
