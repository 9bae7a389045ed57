import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';

/**
 * Rigger's data at rest (the database, snapshots, debug bundles, backups) is readable by its
 * user only: folders 0700, files 0600, whatever the umask says.
 */
export const PRIVATE_DIR = 0o700;
export const PRIVATE_FILE = 0o600;

/** Make a folder (and its parents) and keep it private to this user. */
export function privateDir(path: string): string {
  mkdirSync(path, { recursive: true, mode: PRIVATE_DIR });
  chmodSync(path, PRIVATE_DIR);
  return path;
}

/** Create (or empty) a file that only this user can read, before anything is written into it. */
export function privateFile(path: string): string {
  closeSync(openSync(path, 'w', PRIVATE_FILE));
  chmodSync(path, PRIVATE_FILE);
  return path;
}

/** Make files that exist private (a database and its WAL files, created by a library). */
export function keepPrivate(...paths: string[]): void {
  for (const p of paths) if (existsSync(p)) chmodSync(p, PRIVATE_FILE);
}
