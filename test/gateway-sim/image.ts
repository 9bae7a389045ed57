import { createHash } from 'node:crypto';

export const SIM_HEADER = 'RIGGER-SIM-IMAGE';

/**
 * A slot image the sim's U-Boot understands: a 512-byte header block (magic, version, whether
 * the system comes up healthy), then deterministic filler so hashes mean something.
 */
export function makeSimImage(
  version: string,
  size: number,
  opts: { healthy?: boolean } = {},
): Buffer {
  if (size < 512) throw new Error('a sim image needs at least 512 bytes');
  const img = Buffer.alloc(size);
  img.write(
    `${SIM_HEADER}\nversion=${version}\nhealthy=${opts.healthy === false ? 0 : 1}\n`,
    0,
    'ascii',
  );
  // Filler from a hash chain of the version: cheap, deterministic, different per version.
  let block = createHash('sha256').update(version).digest();
  for (let off = 512; off < size; off += block.length) {
    block = createHash('sha256').update(block).digest();
    block.copy(img, off, 0, Math.min(block.length, size - off));
  }
  return img;
}

/** SHA-256 hex of a buffer. */
export const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
