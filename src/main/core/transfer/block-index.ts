import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile, rename, stat, writeFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { RiggerError } from '../../../shared/errors';

/**
 * A SHA-256 per block of an image (RAUC's block-hash-index idea): enough to tell, without
 * reading the gateway, which blocks of a new image a slot already holds.
 *
 * Stored beside the image as `IMAGE.blkidx`, built once. Format (big-endian):
 *
 *   offset  size  field
 *   0       8     magic "RIGBIX01"
 *   8       4     block size in bytes (a power of two, 512..1 MiB; 4096 by default)
 *   12      8     image size in bytes
 *   20      32    SHA-256 of the whole image (ties the index to its image)
 *   52      32*N  SHA-256 of each block, N = ceil(size / block size); the last block is hashed
 *                 as its bytes (it may be short)
 *
 * At 4 KiB blocks the index is 0.78% of the image.
 */
export interface BlockIndex {
  blockSize: number;
  size: number;
  /** SHA-256 of the whole image, hex. */
  sha256: string;
  /** N digests of 32 bytes, one after the other. */
  hashes: Buffer;
}

export const BLOCK_SIZE = 4096;
const MAGIC = Buffer.from('RIGBIX01', 'latin1');
const HEADER = 52;
/** Images Rigger handles are a root slot: bounded well above any gateway's slot. */
const MAX_IMAGE = 64 * 1024 ** 3;

/** The number of blocks of an index. */
export const blockCount = (idx: BlockIndex) => Math.ceil(idx.size / idx.blockSize);

/** Block `i`'s digest (a view, not a copy). */
export const blockHash = (idx: BlockIndex, i: number) => idx.hashes.subarray(i * 32, i * 32 + 32);

/** Hash `path` block by block in one streaming read. */
export function buildBlockIndex(path: string, blockSize = BLOCK_SIZE): Promise<BlockIndex> {
  return blockIndexOfStream(createReadStream(path, { highWaterMark: 1 << 20 }), blockSize);
}

/** Hash a stream of image bytes block by block (a gzip image's decompressed bytes, say). */
export async function blockIndexOfStream(
  stream: Readable,
  blockSize = BLOCK_SIZE,
): Promise<BlockIndex> {
  checkBlockSize(blockSize);
  const whole = createHash('sha256');
  const digests: Buffer[] = [];
  let pending: Buffer[] = [];
  let pendingLen = 0;
  let size = 0;
  const flush = (final: boolean) => {
    let all = pendingLen ? Buffer.concat(pending, pendingLen) : Buffer.alloc(0);
    let at = 0;
    while (all.length - at >= blockSize || (final && at < all.length)) {
      const end = Math.min(at + blockSize, all.length);
      digests.push(createHash('sha256').update(all.subarray(at, end)).digest());
      at = end;
    }
    all = all.subarray(at);
    pending = all.length ? [all] : [];
    pendingLen = all.length;
  };
  for await (const chunk of stream) {
    const b = chunk as Buffer;
    whole.update(b);
    if (size + b.length > MAX_IMAGE) {
      stream.destroy();
      throw new RiggerError(
        'VALIDATION_ERROR',
        `An image over ${MAX_IMAGE} bytes is beyond any slot`,
      );
    }
    size += b.length;
    pending.push(b);
    pendingLen += b.length;
    if (pendingLen >= 1 << 20) flush(false);
  }
  flush(true);
  return { blockSize, size, sha256: whole.digest('hex'), hashes: Buffer.concat(digests) };
}

/** The index of bytes already in memory (small images, tests). */
export function blockIndexOf(data: Buffer, blockSize = BLOCK_SIZE): BlockIndex {
  checkBlockSize(blockSize);
  const digests: Buffer[] = [];
  for (let at = 0; at < data.length; at += blockSize) {
    digests.push(
      createHash('sha256')
        .update(data.subarray(at, at + blockSize))
        .digest(),
    );
  }
  return {
    blockSize,
    size: data.length,
    sha256: createHash('sha256').update(data).digest('hex'),
    hashes: Buffer.concat(digests),
  };
}

/** The stored form (see the format above). */
export function encodeBlockIndex(idx: BlockIndex): Buffer {
  const head = Buffer.alloc(HEADER);
  MAGIC.copy(head, 0);
  head.writeUInt32BE(idx.blockSize, 8);
  head.writeBigUInt64BE(BigInt(idx.size), 12);
  Buffer.from(idx.sha256, 'hex').copy(head, 20);
  return Buffer.concat([head, idx.hashes]);
}

/** Parse a stored index; anything malformed is a clear error, never a wrong plan. */
export function decodeBlockIndex(buf: Buffer, source = 'block index'): BlockIndex {
  const bad = (why: string) =>
    new RiggerError(
      'VALIDATION_ERROR',
      `Not a usable block index (${source}): ${why}`,
      { source },
      ['Delete it: Rigger builds it again from the image'],
    );
  if (buf.length < HEADER || !buf.subarray(0, 8).equals(MAGIC)) throw bad('unknown format');
  const blockSize = buf.readUInt32BE(8);
  const size = Number(buf.readBigUInt64BE(12));
  try {
    checkBlockSize(blockSize);
  } catch {
    throw bad(`block size ${blockSize}`);
  }
  if (size > MAX_IMAGE) throw bad(`image size ${size} is beyond any slot`);
  const n = Math.ceil(size / blockSize);
  if (buf.length !== HEADER + n * 32)
    throw bad(`${buf.length} bytes where ${HEADER + n * 32} belong`);
  return {
    blockSize,
    size,
    sha256: buf.subarray(20, 52).toString('hex'),
    hashes: Buffer.from(buf.subarray(HEADER)),
  };
}

function checkBlockSize(blockSize: number): void {
  if (
    !Number.isInteger(blockSize) ||
    blockSize < 512 ||
    blockSize > 1 << 20 ||
    (blockSize & (blockSize - 1)) !== 0
  ) {
    throw new RiggerError(
      'VALIDATION_ERROR',
      `Block size must be a power of two from 512 to 1 MiB, not ${blockSize}`,
    );
  }
}

/**
 * Read a stored index that must describe an image of `size` bytes: a file of any other length
 * is refused before it is read (a stray or damaged file never costs more memory than its image's
 * index).
 */
export async function readBlockIndex(path: string, size: number, blockSize = BLOCK_SIZE) {
  const want = HEADER + Math.ceil(size / blockSize) * 32;
  const fh = await open(path, 'r');
  try {
    const { size: have } = await fh.stat();
    if (have !== want) {
      throw new RiggerError(
        'VALIDATION_ERROR',
        `Not a usable block index (${path}): ${have} bytes where ${want} belong`,
      );
    }
    return decodeBlockIndex(await fh.readFile(), path);
  } finally {
    await fh.close();
  }
}

/** Where an image's index lives: beside it. */
export const indexPath = (imagePath: string) => `${imagePath}.blkidx`;

/**
 * The image's index, built once and kept beside it: a stored index is used when it describes
 * an image of this size and block size (and, when given, this SHA-256); else it is built again.
 */
export async function ensureBlockIndex(
  imagePath: string,
  opts: { blockSize?: number; sha256?: string } = {},
): Promise<BlockIndex> {
  const blockSize = opts.blockSize ?? BLOCK_SIZE;
  const size = (await stat(imagePath)).size;
  try {
    const idx = decodeBlockIndex(await readFile(indexPath(imagePath)), indexPath(imagePath));
    if (
      idx.size === size &&
      idx.blockSize === blockSize &&
      (!opts.sha256 || opts.sha256 === idx.sha256)
    ) {
      return idx;
    }
  } catch {
    // Missing or unusable: build it.
  }
  const idx = await buildBlockIndex(imagePath, blockSize);
  if (opts.sha256 && opts.sha256 !== idx.sha256) {
    throw new RiggerError('OTA_007', `The image does not match its SHA-256: ${imagePath}`, {
      expected: opts.sha256,
      actual: idx.sha256,
    });
  }
  // Written whole then renamed: a crash never leaves a half index that looks usable.
  const tmp = `${indexPath(imagePath)}.tmp-${process.pid}`;
  await writeFile(tmp, encodeBlockIndex(idx));
  await rename(tmp, indexPath(imagePath));
  return idx;
}
