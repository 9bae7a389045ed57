import type { StorageSyncRequest, StorageSyncResponse } from '../../../shared/backup-places';
import type { BackupCatalog } from './catalog';
import { formatBytes } from './size-text';
import { seedHms } from '../../../shared/format/time';
import type { StorageLocation } from './storage/location';
import type { SyncItemResult } from './storage/sync';

export interface SyncInDeps {
  catalog: Required<Pick<BackupCatalog, 'remoteIds' | 'pull'>>;
  source: StorageLocation;
  syncId: string;
  bytesPerSecond: number;
  onProgress(m: { progress: number; current_step: string }): void;
}

/**
 * A sync whose destination is this laptop's store: the backups are listed from the source
 * itself (so one that exists only there can be brought back), fetched into the store's layout
 * and committed there one by one, each only when whole.
 */
export async function startSyncIn(
  req: StorageSyncRequest,
  d: SyncInDeps,
): Promise<{ response: StorageSyncResponse; done: Promise<SyncItemResult[]> }> {
  const ids = await d.catalog.remoteIds(d.source, req.backup_ids);
  // An estimate from one listing: every object the source holds, whether needed or not.
  const bytes = (await d.source.list('objects/')).reduce((s, o) => s + o.size, 0);
  let sent = 0;
  const done = d.catalog
    .pull(d.source, ids, {
      verifyAfterSync: req.verify_after_sync,
      onProgress: (p) => {
        sent += p.total;
        d.onProgress({
          progress: bytes ? Math.min(99, Math.round((sent / bytes) * 100)) : 99,
          current_step: `downloaded ${p.file}`,
        });
      },
    })
    .then((results) => {
      d.onProgress({ progress: 100, current_step: 'completed' });
      return results;
    })
    .finally(() => d.source.close());
  return {
    response: {
      status: 'sync_started',
      sync_id: d.syncId,
      source: req.source,
      destination: req.destination,
      backups_to_sync: ids.length,
      estimated_size: formatBytes(bytes),
      estimated_duration: seedHms(bytes / d.bytesPerSecond),
      progress_url: `/cloud-integration/backup/storage/sync/progress/${d.syncId}`,
    },
    done,
  };
}
