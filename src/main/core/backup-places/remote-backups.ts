import { mkdir, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { RiggerError } from '../../../shared/errors';
import { contentOf, MAX_MANIFEST_BYTES, type BackupManifest } from '../backup/manifest';
import { ID_RE, type BackupRepository } from '../backup/repository';
import { backupSize } from '../backup/views';
import type { RemoteOnlyBackup } from './catalog';
import type { StorageLocation } from './storage/location';

/** A signature is one base64 Ed25519 signature: a few hundred bytes at most. */
const MAX_SIG_BYTES = 4096;
/** One 64-hex name and a newline per object, at most as many objects as a manifest may name. */
const MAX_REFS_BYTES = 2_000_000 * 65;

/** A backup as a location holds it: its small files read and checked, its objects named. */
export interface RemoteBackup {
  id: string;
  manifest: BackupManifest;
  /** The three small files as stored (manifest possibly sealed), to be written as they are. */
  raw: { manifest: Buffer; sig: Buffer; refs: Buffer };
  /** Object name → the SHA-256 of the content it holds (from the signed manifest). */
  objects: Map<string, string>;
  signature_valid: boolean;
}

/** The ids of the backups a location holds (those whose manifest is there). */
export async function remoteIds(loc: StorageLocation): Promise<string[]> {
  return (await loc.list('manifests/'))
    .map((o) => /^manifests\/(.+)\.manifest$/.exec(o.path)?.[1])
    .filter((id): id is string => id !== undefined && ID_RE.test(id))
    .sort();
}

/** One small file of a location, read whole into memory only when within `max` bytes. */
async function fetchSmall(
  loc: StorageLocation,
  path: string,
  max: number,
  tmp: string,
): Promise<Buffer> {
  const st = await loc.stat(path);
  if (!st)
    throw new RiggerError('BACKUP_NOT_FOUND', `${path} is missing at ${loc.id}`, {
      storage: loc.id,
      path,
    });
  if (st.size > max)
    throw new RiggerError(
      'VALIDATION_ERROR',
      `${path} at ${loc.id} is ${st.size} bytes, more than the ${max} a backup's file may be`,
      { storage: loc.id, path, size: st.size, limit: max },
    );
  const file = join(tmp, path.split('/').join('_'));
  await mkdir(dirname(file), { recursive: true });
  await loc.get(path, file);
  const bytes = await readFile(file);
  await rm(file, { force: true });
  if (bytes.length !== st.size)
    throw new RiggerError('OTA_007', `${path} read from ${loc.id} is not the size listed`, {
      storage: loc.id,
      path,
      expected_size: st.size,
      size: bytes.length,
    });
  return bytes;
}

/**
 * Read a backup's manifest, signature and refs from a location and prove them: the manifest
 * opens with this store's key (when sealed), its signature verifies with this site's key, and
 * the refs name exactly the objects the manifest's content needs.
 */
export async function readRemoteBackup(
  repo: BackupRepository,
  loc: StorageLocation,
  id: string,
  tmp: string,
): Promise<RemoteBackup> {
  if (!ID_RE.test(id)) throw new RiggerError('VALIDATION_ERROR', `Bad backup id ${id}`);
  const base = `manifests/${id}`;
  const manifestRaw = await fetchSmall(loc, `${base}.manifest`, MAX_MANIFEST_BYTES, tmp);
  const sig = await fetchSmall(loc, `${base}.sig`, MAX_SIG_BYTES, tmp);
  const refs = await fetchSmall(loc, `${base}.refs`, MAX_REFS_BYTES, tmp);
  const { manifest, signature_valid: signatureValid } = repo.open(id, manifestRaw, sig, loc.id);
  const store = repo.objects(manifest.encryption.enabled);
  const objects = new Map<string, string>();
  for (const sha of contentOf(manifest)) objects.set(store.name(sha), sha);
  const listed = refs.toString('utf8').split('\n').filter(Boolean).sort();
  const needed = [...objects.keys()].sort();
  if (listed.length !== needed.length || listed.some((n, i) => n !== needed[i]))
    throw new RiggerError(
      'OTA_007',
      `The refs of backup ${id} at ${loc.id} do not name the objects its manifest needs`,
      { storage: loc.id, backup_id: id, listed: listed.length, needed: needed.length },
    );
  return {
    id,
    manifest,
    raw: { manifest: manifestRaw, sig, refs },
    objects,
    signature_valid: signatureValid,
  };
}

/**
 * What a location holds that this store lacks, from each backup's signed manifest. A backup
 * whose files cannot be read or opened here is left out: a sync of it says why.
 */
export async function remoteOnlyBackups(
  repo: BackupRepository,
  loc: StorageLocation,
): Promise<RemoteOnlyBackup[]> {
  const tmp = await mkdtemp(join(tmpdir(), 'rigger-remote-list-'));
  const out: RemoteOnlyBackup[] = [];
  try {
    for (const id of await remoteIds(loc)) {
      if (repo.has(id)) continue;
      try {
        const b = await readRemoteBackup(repo, loc, id, tmp);
        out.push({
          id,
          gateway: b.manifest.gateway.name,
          type: b.manifest.type,
          created_at: b.manifest.created_at,
          size: backupSize(b.manifest),
          signature_valid: b.signature_valid,
        });
      } catch {
        continue;
      }
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return out;
}

/** Move a finished download into place (same file system), its folder made as needed. */
export async function moveInto(from: string, to: string): Promise<void> {
  await mkdir(dirname(to), { recursive: true });
  await rename(from, to);
}
