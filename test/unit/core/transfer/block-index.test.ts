import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  blockIndexOf,
  buildBlockIndex,
  decodeBlockIndex,
  encodeBlockIndex,
  ensureBlockIndex,
  indexPath,
} from '../../../../src/main/core/transfer/block-index';

const dir = mkdtempSync(join(tmpdir(), 'rigger-blkidx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('block index', () => {
  it('hashes every 4 KiB block and the whole image in one read, the short last block as its bytes', async () => {
    const data = randomBytes(3 * 1024 * 1024 + 100);
    const file = join(dir, 'a.img');
    writeFileSync(file, data);
    const idx = await buildBlockIndex(file);
    expect(idx.size).toBe(data.length);
    expect(idx.sha256).toBe(createHash('sha256').update(data).digest('hex'));
    expect(idx.hashes.length).toBe(32 * 769);
    const last = createHash('sha256')
      .update(data.subarray(768 * 4096))
      .digest();
    expect(idx.hashes.subarray(768 * 32).equals(last)).toBe(true);
    expect(blockIndexOf(data)).toEqual(idx);
  });

  it('round-trips its stored form, about 0.8% of the image', () => {
    const idx = blockIndexOf(randomBytes(1024 * 1024));
    const stored = encodeBlockIndex(idx);
    expect(stored.length / idx.size).toBeLessThan(0.0081);
    expect(decodeBlockIndex(stored)).toEqual(idx);
  });

  it('refuses a damaged or foreign index with a clear error', () => {
    const stored = encodeBlockIndex(blockIndexOf(randomBytes(40_000)));
    expect(() => decodeBlockIndex(Buffer.from('hello'))).toThrow(/unknown format/);
    expect(() => decodeBlockIndex(stored.subarray(0, stored.length - 1))).toThrow(/bytes where/);
    const odd = Buffer.from(stored);
    odd.writeUInt32BE(3000, 8);
    expect(() => decodeBlockIndex(odd)).toThrow(/block size 3000/);
    const huge = Buffer.from(stored);
    huge.writeBigUInt64BE(1n << 50n, 12);
    expect(() => decodeBlockIndex(huge)).toThrow(/beyond any slot/);
  });

  it('is built once and kept beside the image, and built again when it no longer fits', async () => {
    const file = join(dir, 'b.img');
    writeFileSync(file, randomBytes(100_000));
    const first = await ensureBlockIndex(file);
    const stored = statSync(indexPath(file)).mtimeMs;
    await new Promise((r) => setTimeout(r, 20));
    expect(await ensureBlockIndex(file)).toEqual(first);
    expect(statSync(indexPath(file)).mtimeMs).toBe(stored);
    writeFileSync(file, randomBytes(120_000));
    const again = await ensureBlockIndex(file);
    expect(again.size).toBe(120_000);
    expect(decodeBlockIndex(readFileSync(indexPath(file)))).toEqual(again);
    writeFileSync(indexPath(file), 'garbage');
    expect(await ensureBlockIndex(file)).toEqual(again);
  });

  it('refuses an image that does not match the SHA-256 it should have', async () => {
    const file = join(dir, 'c.img');
    writeFileSync(file, randomBytes(10_000));
    await expect(ensureBlockIndex(file, { sha256: '00'.repeat(32) })).rejects.toMatchObject({
      code: 'OTA_007',
    });
  });
});
