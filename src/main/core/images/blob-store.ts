import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Content-addressed files under `dir`, named by the SHA-256 of their bytes. A file is written
 * under a temporary name and renamed only once its hash is known, so a crash never leaves a
 * name pointing at half a file.
 */
export interface BlobStore {
  readonly dir: string;
  tempPath(): string;
  /** Move a finished temporary file to its hash's name (keeping an identical one already there). */
  commit(temp: string, sha256: string): string;
  path(sha256: string): string;
  has(sha256: string): boolean;
  size(sha256: string): number;
  remove(sha256: string): void;
  discard(temp: string): void;
}

/** A blob store in `dir` (created if missing). */
export function createBlobStore(dir: string): BlobStore {
  const tmp = join(dir, 'tmp');
  mkdirSync(tmp, { recursive: true });
  const path = (sha: string) => join(dir, sha.slice(0, 2), sha);
  // Temporary files of an earlier crash are never referenced: clear them.
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  return {
    dir,
    tempPath: () => join(tmp, `${Date.now()}-${randomBytes(6).toString('hex')}.part`),
    commit(temp, sha) {
      const final = path(sha);
      if (existsSync(final)) {
        rmSync(temp, { force: true });
        return final;
      }
      mkdirSync(join(dir, sha.slice(0, 2)), { recursive: true });
      renameSync(temp, final);
      return final;
    },
    path,
    has: (sha) => existsSync(path(sha)),
    size: (sha) => statSync(path(sha)).size,
    remove: (sha) => {
      rmSync(path(sha), { force: true });
      // What was derived from the file (its block index) goes with it.
      rmSync(`${path(sha)}.blkidx`, { force: true });
    },
    discard: (temp) => rmSync(temp, { force: true }),
  };
}
