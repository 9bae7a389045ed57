import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { RiggerError } from '../../../shared/errors';
import { writeFileAtomic } from '../backup/files';
import { holdIncoming, incomingOf } from '../backup/incoming';
import { ObjectStore } from '../backup/object-store';
import type { BackupRepository } from '../backup/repository';
import { moveInto, readRemoteBackup, remoteIds, type RemoteBackup } from './remote-backups';
import { sha256File } from '../util/hash';
import type { StorageLocation } from './storage/location';
import type { SyncItemResult, SyncOptions } from './storage/sync';

const errorOf = (err: unknown) => {
  const e = err as { code?: string; message: string };
  return { code: e.code ?? 'INTERNAL', message: e.message };
};

/** Read a copy back from the local disk and compare it with the hash of what was fetched. */
async function readBack(file: string, sha256: string, what: string): Promise<void> {
  const got = await sha256File(file);
  if (got !== sha256)
    throw new RiggerError('OTA_007', `${what} read back does not match its SHA-256`, {
      path: what,
      expected_sha256: sha256,
      actual_sha256: got,
    });
}

/**
 * Fetch one object into the incoming folder (kept there across an interrupted sync) and prove
 * its content against the signed manifest's SHA-256. Returns the bytes fetched now.
 */
async function fetchObject(
  source: StorageLocation,
  staging: ObjectStore,
  name: string,
  sha256: string,
  opts: SyncOptions,
  backupId: string,
): Promise<number> {
  const staged = staging.pathOf(name);
  let fetched = 0;
  if (!existsSync(staged)) {
    const path = `objects/${name.slice(0, 2)}/${name}`;
    const st = await source.stat(path);
    if (!st)
      throw new RiggerError('BACKUP_NOT_FOUND', `Object ${name} is missing at ${source.id}`, {
        storage: source.id,
        path,
      });
    await mkdir(dirname(staged), { recursive: true });
    await source.get(path, `${staged}.partial`);
    await moveInto(`${staged}.partial`, staged);
    fetched = st.size;
    opts.onProgress?.({ backup_id: backupId, file: path, sent: st.size, total: st.size });
  }
  try {
    await staging.check(sha256);
  } catch (err) {
    // A damaged copy is never kept: the next sync fetches it again.
    await rm(staged, { force: true });
    throw new RiggerError(
      'OTA_007',
      `Object ${name} of backup ${backupId} at ${source.id} does not match its SHA-256`,
      { storage: source.id, backup_id: backupId, object: name, cause: errorOf(err).message },
      ['Sync from another location that holds this backup'],
    );
  }
  return fetched;
}

/** Objects in place and pinned, then refs, signature and last the manifest: the commit. */
async function commit(
  repo: BackupRepository,
  b: RemoteBackup,
  staging: ObjectStore,
  verify: boolean,
): Promise<void> {
  const store = repo.objects(b.manifest.encryption.enabled);
  repo.writers(1);
  const release = repo.locks.take();
  for (const n of b.objects.keys()) repo.pin(n, 1);
  try {
    for (const name of b.objects.keys()) {
      const staged = staging.pathOf(name);
      if (!existsSync(staged)) continue;
      const sha = verify ? await sha256File(staged) : null;
      await moveInto(staged, store.pathOf(name));
      if (sha) await readBack(store.pathOf(name), sha, `objects/${name.slice(0, 2)}/${name}`);
    }
    await store.flush(b.objects.keys());
    for (const ext of ['refs', 'sig', 'manifest'] as const) {
      const file = repo.file(b.id, ext);
      writeFileAtomic(file, b.raw[ext]);
      if (verify) {
        await readBack(file, createHash('sha256').update(b.raw[ext]).digest('hex'), file);
      }
    }
  } catch (err) {
    // The manifest is what makes a backup exist: without it nothing half-copied is listed.
    await rm(repo.file(b.id, 'manifest'), { force: true });
    throw err;
  } finally {
    for (const n of b.objects.keys()) repo.pin(n, -1);
    release();
    repo.writers(-1);
  }
}

/**
 * Bring one backup a location holds into the local store: its small files proven against this
 * site's signature, each object it lacks fetched and checked against the manifest's SHA-256
 * (objects the store has are content-addressed, so skipped), and the backup committed only
 * when every file is there.
 */
export async function pullBackup(
  repo: BackupRepository,
  source: StorageLocation,
  id: string,
  opts: SyncOptions,
): Promise<SyncItemResult> {
  const item: SyncItemResult = {
    backup_id: id,
    status: 'already_present',
    bytes_sent: 0,
    bytes_resumed: 0,
  };
  // Where it waits until all its files are there and proven (kept if the sync is cut).
  const dir = incomingOf(repo.root, id);
  if (repo.has(id)) {
    // Whatever an earlier, cut sync of it left waiting is not needed any more.
    await rm(dir, { recursive: true, force: true });
    return item;
  }
  const release = holdIncoming(dir);
  try {
    const b = await readRemoteBackup(repo, source, id, join(dir, 'small'));
    if (!b.signature_valid)
      throw new RiggerError(
        'OTA_006',
        `Backup ${id} at ${source.id} is not signed by this site's key`,
        { storage: source.id, backup_id: id },
        ['Import it with its site trusted instead (backup import)'],
      );
    const store = repo.objects(b.manifest.encryption.enabled);
    const staging = new ObjectStore(dir, b.manifest.encryption.enabled ? repo.key : null);
    // A bad object does not stop the others: each proven one waits for the next sync.
    let bad: unknown = null;
    for (const [name, sha] of b.objects) {
      opts.signal?.throwIfAborted();
      if (existsSync(store.pathOf(name))) continue;
      const before = existsSync(staging.pathOf(name));
      try {
        const n = await fetchObject(source, staging, name, sha, opts, id);
        if (before) item.bytes_resumed += (await stat(staging.pathOf(name))).size;
        item.bytes_sent += n;
      } catch (err) {
        bad ??= err;
      }
    }
    if (bad) throw bad;
    await commit(repo, b, staging, opts.verifyAfterSync);
    item.status = 'synced';
    await rm(dir, { recursive: true, force: true });
  } catch (err) {
    item.status = 'failed';
    item.error = errorOf(err);
  } finally {
    release();
  }
  return item;
}

/** The ids to bring in from a location: all it holds, or those asked for (each must be there). */
export async function pullIds(source: StorageLocation, asked: string[]): Promise<string[]> {
  const there = await remoteIds(source);
  if (asked.length === 1 && asked[0] === 'all') return there;
  const missing = asked.filter((id) => !there.includes(id));
  if (missing.length)
    throw new RiggerError('NOT_FOUND', `No backup ${missing[0]} at ${source.id}`, {
      storage: source.id,
      backup_ids: missing.slice(0, 20),
    });
  return asked;
}
