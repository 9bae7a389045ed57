import { randomBytes } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { chunkName, chunkPayload } from '../../../../src/main/core/transfer/chunk-flash';

// Half random, half zeros: gzip about halves it, as it would a root filesystem's chunk.
const compressible = Buffer.concat([randomBytes(20_000), Buffer.alloc(20_000)]);

describe('chunkPayload', () => {
  it('compresses once into a gzip that gzwrite can take, the image bytes beside it', async () => {
    const c = await chunkPayload(compressible, { gzip: true, maxBytes: 64 * 1024 });
    expect(c.gzip).toBe(true);
    expect(c.data).toBe(compressible);
    expect(c.payload.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(gunzipSync(c.payload).equals(compressible)).toBe(true);
    expect(c.payload.length).toBeLessThan(compressible.length * 0.6);
  });

  it('uses the level asked for (9 never makes a bigger chunk than 1)', async () => {
    const text = Buffer.from(
      'rigger gateway image '.repeat(3000) + randomBytes(3000).toString('hex'),
    );
    const best = await chunkPayload(text, { gzip: true, level: 9 });
    const fast = await chunkPayload(text, { gzip: true, level: 1 });
    expect(best.payload.length).toBeLessThan(fast.payload.length);
    expect(best.payload.equals(gzipSync(text, { level: 9 }))).toBe(true);
  });

  it('sends raw whole blocks when the gzip would not fit the load area (random data grows)', async () => {
    const random = randomBytes(8 * 512 + 100);
    const c = await chunkPayload(random, { gzip: true, blockSize: 512, maxBytes: random.length });
    expect(c.gzip).toBe(false);
    expect(c.payload.length).toBe(9 * 512);
    expect(c.payload.subarray(0, random.length).equals(random)).toBe(true);
    expect(c.payload.subarray(random.length).equals(Buffer.alloc(512 - 100))).toBe(true);
  });

  it('sends raw bytes as they are when gzip is not asked for and they are whole blocks', async () => {
    const c = await chunkPayload(compressible.subarray(0, 4096), { gzip: false });
    expect(c.gzip).toBe(false);
    expect(c.payload.equals(compressible.subarray(0, 4096))).toBe(true);
  });
});

describe('chunkName', () => {
  it('names a chunk by its job, its number and its form', () => {
    expect(chunkName('rg-1a2b', 7, true)).toBe('rg-1a2b-0007.gz');
    expect(chunkName('rg-1a2b', 12, false)).toBe('rg-1a2b-0012.bin');
  });
});
