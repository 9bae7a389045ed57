import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, statSync, writeSync } from 'node:fs';

/**
 * An image gzip shrinks about 2.5x, like a root filesystem: in every 64 KiB, 40% random bytes
 * (binaries, compressed assets) and 60% zeros (free blocks). Writes `path` and `path.gz`.
 */
export function makeCompressibleImage(path: string, mib: number): { size: number; gzSize: number } {
  const fd = openSync(path, 'w');
  const piece = 64 * 1024;
  const rnd = Math.round(piece * 0.4);
  try {
    for (let i = 0; i < mib * 16; i++) {
      const b = Buffer.alloc(piece);
      randomBytes(rnd).copy(b, 0);
      writeSync(fd, b);
    }
  } finally {
    closeSync(fd);
  }
  execFileSync('sh', ['-c', `gzip -6 -c '${path}' > '${path}.gz'`]);
  return { size: statSync(path).size, gzSize: statSync(`${path}.gz`).size };
}
