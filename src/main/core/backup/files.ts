import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { RiggerError } from '../../../shared/errors';
import { PRIVATE_FILE, privateDir } from '../util/private-files';

/** Backup files are the user's alone, like all of Rigger's data at rest (util/private-files). */
export const FILE_MODE = PRIVATE_FILE;

/** Make a folder (and its parents) and hold it to 0700. */
export const ensureDir = privateDir;

/** A temporary name beside `path`, for a write that is renamed into place when whole. */
export const partialName = (path: string) =>
  join(dirname(path), `.partial-${randomBytes(6).toString('hex')}`);

/** Write a file whole or not at all: to a temporary file, synced, then renamed over `path`. */
export function writeFileAtomic(path: string, data: Buffer | string): void {
  ensureDir(dirname(path));
  const tmp = partialName(path);
  const fd = openSync(tmp, 'wx', FILE_MODE);
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/** The laptop's disk is full: said as the seed's STORAGE_FULL, anything else passes through. */
export function storageError(err: unknown, where: string): unknown {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT')
    return new RiggerError(
      'STORAGE_FULL',
      `The disk holding the backups is full (writing ${where})`,
      { path: where },
      ['Free space on this computer or delete old backups, then try again'],
    );
  return err;
}
