import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BackupFileRef, BackupRecord } from '../../../../shared/backup-places';
import { RiggerError } from '../../../../shared/errors';
import { LocalLocation } from './local';
import type { StorageLocation } from './location';

export interface SyncItemResult {
  backup_id: string;
  status: 'synced' | 'already_present' | 'failed';
  bytes_sent: number;
  /** Bytes an earlier, interrupted sync had already put there. */
  bytes_resumed: number;
  error?: { code: string; message: string };
}

export interface SyncOptions {
  verifyAfterSync: boolean;
  onProgress?: (p: { backup_id: string; file: string; sent: number; total: number }) => void;
  signal?: AbortSignal;
}

async function copyFile(
  source: StorageLocation,
  dest: StorageLocation,
  f: BackupFileRef,
  opts: SyncOptions,
  backupId: string,
): Promise<{ sent: number; resumed: number; present: boolean }> {
  const there = await dest.stat(f.path);
  if (
    there &&
    there.size === f.size &&
    (!opts.verifyAfterSync || (await dest.hash(f.path)) === f.sha256)
  )
    return { sent: 0, resumed: 0, present: true };
  // A copy of the wrong size or content is replaced, never trusted.
  if (there) await dest.delete(f.path);
  let tmp: string | null = null;
  let local: string;
  if (source instanceof LocalLocation) local = source.fileOf(f.path);
  else {
    tmp = await mkdtemp(join(tmpdir(), 'rigger-sync-'));
    local = join(tmp, 'file');
    await source.get(f.path, local);
  }
  try {
    const out = await dest.put(local, f.path, {
      signal: opts.signal,
      onProgress: (sent, total) =>
        opts.onProgress?.({ backup_id: backupId, file: f.path, sent, total }),
    });
    if (opts.verifyAfterSync) {
      const got = await dest.hash(f.path);
      if (got !== f.sha256) {
        await dest.delete(f.path);
        throw new RiggerError(
          'OTA_007',
          `${f.path} read back from ${dest.id} does not match its SHA-256`,
          {
            storage: dest.id,
            path: f.path,
            expected_sha256: f.sha256,
            actual_sha256: got,
          },
          ['Sync again; if it repeats, check the storage for faults'],
        );
      }
    }
    return { sent: out.size - out.resumed_from, resumed: out.resumed_from, present: false };
  } finally {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  }
}

/**
 * Copy backups' stored files (already encrypted: the destination never sees plaintext or keys)
 * from one location to another. A cut upload resumes on the next sync; with verify, each copy
 * is read back and its hash compared. One backup's failure does not stop the others.
 */
export async function syncBackups(
  records: BackupRecord[],
  source: StorageLocation,
  dest: StorageLocation,
  opts: SyncOptions,
): Promise<SyncItemResult[]> {
  const results: SyncItemResult[] = [];
  for (const r of records) {
    const item: SyncItemResult = {
      backup_id: r.id,
      status: 'already_present',
      bytes_sent: 0,
      bytes_resumed: 0,
    };
    try {
      for (const f of r.files) {
        opts.signal?.throwIfAborted();
        const out = await copyFile(source, dest, f, opts, r.id);
        item.bytes_sent += out.sent;
        item.bytes_resumed += out.resumed;
        if (!out.present) item.status = 'synced';
      }
    } catch (err) {
      const e = err as { code?: string; message: string };
      item.status = 'failed';
      item.error = { code: e.code ?? 'INTERNAL', message: e.message };
    }
    results.push(item);
  }
  return results;
}

export interface ReplicationResult {
  location: string;
  result: SyncItemResult | null;
  error?: { code: string; message: string };
}

/**
 * Copy one new backup to every other enabled location at once. Never throws and never waits on
 * one location for another: a location that is down gives its error here and nothing more.
 */
export async function replicate(
  record: BackupRecord,
  source: StorageLocation,
  targets: StorageLocation[],
  verifyAfterSync = true,
): Promise<ReplicationResult[]> {
  const runs = targets
    .filter((t) => t.id !== source.id)
    .map(async (t): Promise<ReplicationResult> => {
      try {
        const [result] = await syncBackups([record], source, t, { verifyAfterSync });
        return { location: t.id, result: result!, error: result!.error };
      } catch (err) {
        const e = err as { code?: string; message: string };
        return {
          location: t.id,
          result: null,
          error: { code: e.code ?? 'INTERNAL', message: e.message },
        };
      }
    });
  return Promise.all(runs);
}
