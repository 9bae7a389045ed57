import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BackupRecord, CleanupLocationOutcome } from '../../../../shared/backup-places';
import { writeFileAtomic } from '../../backup/files';
import type { StorageLocation } from '../storage/location';

/** Most paths kept waiting per location: beyond that the file was not written by Rigger. */
const MAX_PENDING = 200_000;

/**
 * Deletions a location could not take when a cleanup ran (it was down), kept in a file so the
 * next sync retries them; the local cleanup never waits for them.
 */
export class PendingDeletions {
  constructor(private readonly file: string) {}

  read(): Record<string, string[]> {
    try {
      const raw = JSON.parse(readFileSync(this.file, 'utf8')) as unknown;
      if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return {};
      const out: Record<string, string[]> = {};
      for (const [loc, paths] of Object.entries(raw as Record<string, unknown>))
        if (Array.isArray(paths))
          out[loc] = paths.filter((p): p is string => typeof p === 'string');
      return out;
    } catch {
      return {};
    }
  }

  set(location: string, paths: string[]): void {
    const all = this.read();
    if (paths.length) all[location] = [...new Set(paths)].slice(0, MAX_PENDING);
    else delete all[location];
    writeFileAtomic(this.file, JSON.stringify(all));
  }
}

/** Where the pending deletions are kept (beside the places' settings). */
export const pendingDeletionsFileOf = (stateDir: string) =>
  join(stateDir, 'pending-deletions.json');

/** Paths some backup still present uses: a content-addressed object shared with a kept backup. */
function stillUsed(records: BackupRecord[]): Set<string> {
  return new Set(records.flatMap((r) => r.files.map((f) => f.path)));
}

/**
 * Delete paths at one location and prove each gone (a stat that finds nothing). Stops at the
 * first failure: the location is then taken as down, and what is left waits for the next sync.
 */
async function deleteAt(
  open: () => StorageLocation,
  id: string,
  paths: string[],
): Promise<CleanupLocationOutcome & { left: string[] }> {
  if (!paths.length)
    return {
      location: id,
      status: 'nothing_to_remove',
      files_removed: 0,
      files_pending: 0,
      left: [],
    };
  let loc: StorageLocation | null = null;
  let removed = 0;
  try {
    loc = open();
    for (const p of paths) {
      await loc.delete(p);
      if (await loc.stat(p)) throw new Error(`${p} is still there after it was deleted`);
      removed++;
    }
    return { location: id, status: 'removed', files_removed: removed, files_pending: 0, left: [] };
  } catch (err) {
    const left = paths.slice(removed);
    return {
      location: id,
      status: 'unreachable',
      files_removed: removed,
      files_pending: left.length,
      error: (err as Error).message.slice(0, 500),
      left,
    };
  } finally {
    await loc?.close().catch(() => undefined);
  }
}

/**
 * After a cleanup removed `removed` from the local store: delete their copies at every other
 * location that holds them, except files a remaining backup still uses. A location that fails
 * keeps its rest in `pending`, retried by `retryPendingDeletions`.
 */
export async function removeRemoteCopies(d: {
  removed: BackupRecord[];
  remaining: BackupRecord[];
  home: string;
  open(location: string): StorageLocation;
  pending: PendingDeletions;
}): Promise<CleanupLocationOutcome[]> {
  const used = stillUsed(d.remaining);
  const byLocation = new Map<string, Set<string>>();
  for (const r of d.removed)
    for (const loc of r.locations ?? []) {
      if (loc === d.home) continue;
      const set = byLocation.get(loc) ?? new Set<string>();
      for (const f of r.files) if (!used.has(f.path)) set.add(f.path);
      byLocation.set(loc, set);
    }
  const waiting = d.pending.read();
  const out: CleanupLocationOutcome[] = [];
  for (const [id, set] of byLocation) {
    const paths = [...new Set([...(waiting[id] ?? []).filter((p) => !used.has(p)), ...set])];
    const { left, ...outcome } = await deleteAt(() => d.open(id), id, paths);
    d.pending.set(id, left);
    out.push(outcome);
  }
  return out;
}

/** Retry deletions a down location missed; files a backup now uses again are not deleted. */
export async function retryPendingDeletions(d: {
  current: BackupRecord[];
  open(location: string): StorageLocation;
  pending: PendingDeletions;
}): Promise<CleanupLocationOutcome[]> {
  const used = stillUsed(d.current);
  const out: CleanupLocationOutcome[] = [];
  for (const [id, paths] of Object.entries(d.pending.read())) {
    const { left, ...outcome } = await deleteAt(
      () => d.open(id),
      id,
      paths.filter((p) => !used.has(p)),
    );
    d.pending.set(id, left);
    out.push(outcome);
  }
  return out;
}
