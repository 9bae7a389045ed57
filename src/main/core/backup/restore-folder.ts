import {
  chmodSync,
  createWriteStream,
  linkSync,
  lutimesSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  symlinkSync,
  utimesSync,
} from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { RiggerError } from '../../../shared/errors';
import { partialName, storageError } from './files';
import type { ManifestEntry } from './manifest';
import { hashTap, mismatch } from './object-store';
import type { BackupRepository } from './repository';

/** Where a gateway path lands under `root`; anything that would leave it is refused. */
function inside(root: string, path: string): string {
  const target = resolve(root, `.${path.startsWith('/') ? '' : '/'}${path}`);
  const rel = relative(root, target);
  if (rel === '' || rel.startsWith('..') || rel.startsWith(sep))
    throw new RiggerError('VALIDATION_ERROR', `The backup holds a path outside its root: ${path}`);
  return target;
}

/**
 * Write a backup's entries under an empty folder, each file proven against its SHA-256 before it
 * is renamed into place; modes and times follow, folders last so read-only ones can be filled.
 * Returns how many files and bytes were written.
 */
export async function restoreToFolder(
  repo: BackupRepository,
  id: string,
  folder: string,
  filter?: (e: ManifestEntry) => boolean,
): Promise<{ files: number; bytes: number }> {
  const { manifest } = repo.load(id);
  const objects = repo.objects(manifest.encryption.enabled);
  const root = resolve(folder);
  mkdirSync(root, { recursive: true, mode: 0o700 });
  if (readdirSync(root).length)
    throw new RiggerError('VALIDATION_ERROR', `${root} is not empty: restore into an empty folder`);
  const entries = manifest.entries.filter((e) => !filter || filter(e));
  let files = 0;
  let bytes = 0;
  for (const e of entries) {
    const to = inside(root, e.path);
    mkdirSync(dirname(to), { recursive: true, mode: 0o700 });
    if (e.type === 'dir') {
      mkdirSync(to, { recursive: true, mode: 0o700 });
    } else if (e.type === 'symlink' && e.link !== undefined) {
      symlinkSync(e.link, to);
      lutimesSync(to, e.mtime, e.mtime);
    } else if (e.type === 'hardlink' && e.link) {
      linkSync(inside(root, e.link), to);
    } else if (e.type === 'file' && e.sha256) {
      const tmp = partialName(to);
      const tap = hashTap();
      try {
        await pipeline(
          objects.read(objects.name(e.sha256)),
          tap,
          createWriteStream(tmp, { mode: 0o600 }),
        );
        const got = tap.digest();
        if (got.sha256 !== e.sha256) throw mismatch(e.path, e.sha256, got.sha256);
        chmodSync(tmp, e.mode);
        utimesSync(tmp, e.mtime, e.mtime);
        renameSync(tmp, to);
      } catch (err) {
        rmSync(tmp, { force: true });
        throw storageError(err, to);
      }
      files++;
      bytes += e.size;
    }
  }
  // Deepest folders first: setting a parent read-only must not stop its children.
  for (const e of [...entries].filter((x) => x.type === 'dir').reverse()) {
    const to = inside(root, e.path);
    chmodSync(to, e.mode);
    utimesSync(to, e.mtime, e.mtime);
  }
  return { files, bytes };
}
