import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import type { Readable } from 'node:stream';
import { create as createTar } from 'tar';
import { KEY_FILE } from './keys';
import { contentOf } from './manifest';
import type { BackupRepository } from './repository';

/**
 * One backup as a single file (the seed's `backup/download`): a tar laid out as a backup store
 * holding just that backup (its manifest, signature, refs and objects, all as stored, so still
 * encrypted), the wrapped key file (a passphrase slot opens it elsewhere) and the site's public
 * signing key. Unpacked into a folder, it is a store that `verify` and `restore` read as is.
 */
export function exportBackup(
  repo: BackupRepository,
  id: string,
): { filename: string; stream: Readable } {
  const { manifest } = repo.load(id);
  const objects = repo.objects(manifest.encryption.enabled);
  const members = [
    ...(['manifest', 'sig', 'refs'] as const).map((ext) => repo.file(id, ext)),
    ...[...contentOf(manifest)].map((sha) => objects.pathOf(objects.name(sha))),
    ...[`${repo.root}/${KEY_FILE}`, `${repo.root}/site-signing.pub`].filter((f) => existsSync(f)),
  ].map((f) => relative(repo.root, f));
  const stream = createTar({ cwd: repo.root, portable: true, noDirRecurse: true }, members);
  return { filename: `${id}.rigger-backup.tar`, stream: stream as unknown as Readable };
}
