import type { BackupRepository } from './repository';

/** The recovery settings that bound the backups Rigger takes on its own (the seed's snapshots). */
export interface AutomaticRetention {
  max_snapshots: number;
  snapshot_retention_days: number;
}

/** Rigger's own backups (before an update, before a factory reset) and migrated automatic ones. */
const AUTOMATIC_BY = new Set(['rigger', 'update']);

/**
 * Which of a gateway's automatic backups fall outside the recovery settings: beyond the newest
 * `max_snapshots`, or older than `snapshot_retention_days`. The backup just taken (`keep`) and
 * every backup a person made are never chosen; a manifest that cannot be read is left alone.
 */
export function automaticToPrune(
  repo: BackupRepository,
  gateway: string,
  keep: string,
  r: AutomaticRetention,
  now = Date.now(),
): string[] {
  const own: { id: string; at: number }[] = [];
  for (const id of repo.ids()) {
    try {
      const m = repo.load(id).manifest;
      if (m.gateway.name === gateway && AUTOMATIC_BY.has(m.created_by))
        own.push({ id, at: Date.parse(m.created_at) });
    } catch {
      // Unreadable here (another key, damaged): not Rigger's to remove on its own.
    }
  }
  // The backup just taken counts as the newest, whatever the clocks said.
  own.sort((a, b) => Number(b.id === keep) - Number(a.id === keep) || b.at - a.at);
  const oldest = now - r.snapshot_retention_days * 86_400_000;
  return own
    .filter((b, i) => b.id !== keep && (i >= r.max_snapshots || b.at < oldest))
    .map((b) => b.id);
}

/** Remove what `automaticToPrune` chose; each delete frees only what no other backup uses. */
export async function pruneAutomatic(
  repo: BackupRepository,
  gateway: string,
  keep: string,
  r: AutomaticRetention,
): Promise<{ removed: string[]; freed_bytes: number }> {
  const removed: string[] = [];
  let freed = 0;
  for (const id of automaticToPrune(repo, gateway, keep, r)) {
    freed += (await repo.delete(id)).freed_bytes;
    removed.push(id);
  }
  return { removed, freed_bytes: freed };
}
