import type { SnapshotItem } from '../../../shared/backup';
import type { BackupRepository, LoadedBackup } from './repository';
import { backupSize, componentNames, sizeText } from './views';

/** One row of `backup/snapshots`. */
export function snapshotItem(repo: BackupRepository, loaded: LoadedBackup): SnapshotItem {
  const m = loaded.manifest;
  const v = repo.lastVerification(m.id);
  return {
    id: m.id,
    name: m.name,
    description: m.description,
    created_at: m.created_at,
    size: sizeText(backupSize(m) + (m.settings?.size ?? 0)),
    tags: m.tags ?? [],
    components: componentNames(m),
    created_by: m.created_by,
    // A snapshot that failed its last verification cannot be trusted for a restore.
    status: v && !v.verified ? 'failed' : 'active',
  };
}

/** `backup/snapshots`: the configuration snapshots, newest first (optionally of one gateway). */
export function listSnapshots(
  repo: BackupRepository,
  gateway?: string,
): { snapshots: SnapshotItem[]; total: number; active: number } {
  const rows: SnapshotItem[] = [];
  for (const id of repo.ids()) {
    let loaded: LoadedBackup;
    try {
      loaded = repo.load(id);
    } catch {
      continue;
    }
    if (loaded.manifest.kind !== 'snapshot') continue;
    if (gateway && loaded.manifest.gateway.name !== gateway) continue;
    rows.push(snapshotItem(repo, loaded));
  }
  rows.sort((a, b) => b.created_at.localeCompare(a.created_at));
  return {
    snapshots: rows,
    total: rows.length,
    active: rows.filter((r) => r.status === 'active').length,
  };
}
