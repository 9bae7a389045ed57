import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { RiggerError } from '../../../shared/errors';

/** Backup files are the user's alone: folders 0700, files 0600, whatever the umask says. */
export const DIR_MODE = 0o700;
export const FILE_MODE = 0o600;

/** Make a folder (and its parents) and hold it to 0700. */
export function ensureDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: DIR_MODE });
  chmodSync(dir, DIR_MODE);
  return dir;
}

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
