import { randomBytes } from 'node:crypto';
import { Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import {
  HEADER_SIZE,
  TAG_SIZE,
  openObjectAsync,
} from '../../../../src/main/core/backup/chunk-format';
import {
  decryptBuffer,
  decryptStream,
  encryptBuffer,
  encryptStream,
} from '../../../../src/main/core/backup/chunk-stream';
import { generateBackupKey, type BackupKey } from '../../../../src/main/core/backup/keys';

const CHUNK = 4096;
const BLOCK = CHUNK + TAG_SIZE;

/** Run bytes through a transform, in pieces of odd sizes, and collect what comes out. */
async function through(t: Transform, data: Buffer, piece = 1000): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (let at = 0; at < data.length; at += piece) parts.push(data.subarray(at, at + piece));
  const out: Buffer[] = [];
  await pipeline(Readable.from(parts), t, async (src: AsyncIterable<Buffer | string>) => {
    for await (const c of src) out.push(Buffer.from(c));
  });
  return Buffer.concat(out);
}

const enc = (k: BackupKey, plain: Buffer) => through(encryptStream(k, CHUNK), plain, 777);
const dec = (k: BackupKey, sealed: Buffer) =>
  through(
    decryptStream(() => k),
    sealed,
    1234,
  );

describe('the encrypted object format', () => {
  const key = generateBackupKey();

  it.each([0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 3 * CHUNK + 17])(
    'round-trips %i bytes, streamed and whole, with one sealed chunk per chunk size',
    async (n) => {
      const plain = randomBytes(n);
      const sealed = await enc(key, plain);
      const chunks = Math.max(1, Math.ceil(n / CHUNK));
      expect(sealed.length).toBe(HEADER_SIZE + n + chunks * TAG_SIZE);
      expect((await dec(key, sealed)).equals(plain)).toBe(true);
      expect(decryptBuffer(() => key, sealed).equals(plain)).toBe(true);
      expect(decryptBuffer(() => key, encryptBuffer(key, plain, CHUNK)).equals(plain)).toBe(true);
    },
  );

  it('gives different ciphertext for the same plaintext (a fresh object key each time)', async () => {
    const plain = Buffer.alloc(10_000, 7);
    const a = await enc(key, plain);
    const b = await enc(key, plain);
    expect(a.subarray(HEADER_SIZE).equals(b.subarray(HEADER_SIZE))).toBe(false);
  });

  describe('refuses a damaged object', () => {
    const plain = randomBytes(3 * CHUNK + 100);
    let sealed: Buffer;
    const sealedOnce = async () => (sealed ??= await enc(key, plain));

    it('truncated at a chunk boundary (the last chunk dropped)', async () => {
      const s = await sealedOnce();
      const cut = s.subarray(0, HEADER_SIZE + 3 * BLOCK);
      await expect(dec(key, cut)).rejects.toMatchObject({ code: 'ENCRYPTION_ERROR' });
      expect(() => decryptBuffer(() => key, cut)).toThrow(/last one|truncated/);
    });

    it('truncated inside a chunk, or down to the header', async () => {
      const s = await sealedOnce();
      for (const len of [s.length - 1, HEADER_SIZE + 10, HEADER_SIZE, 20]) {
        await expect(dec(key, s.subarray(0, len))).rejects.toMatchObject({
          code: 'ENCRYPTION_ERROR',
        });
      }
    });

    it('two chunks swapped', async () => {
      const s = Buffer.from(await sealedOnce());
      const a = Buffer.from(s.subarray(HEADER_SIZE, HEADER_SIZE + BLOCK));
      const b = Buffer.from(s.subarray(HEADER_SIZE + BLOCK, HEADER_SIZE + 2 * BLOCK));
      b.copy(s, HEADER_SIZE);
      a.copy(s, HEADER_SIZE + BLOCK);
      await expect(dec(key, s)).rejects.toMatchObject({ code: 'ENCRYPTION_ERROR' });
    });

    it('one flipped bit anywhere: header, body or tag', async () => {
      const s = await sealedOnce();
      for (const at of [9, 13, 30, HEADER_SIZE + 5, HEADER_SIZE + BLOCK - 1, s.length - 1]) {
        const bad = Buffer.from(s);
        bad[at]! ^= 0x10;
        await expect(dec(key, bad)).rejects.toThrow();
      }
    });

    it('bytes appended after the final chunk', async () => {
      const s = await sealedOnce();
      const longer = Buffer.concat([s, randomBytes(TAG_SIZE + 10)]);
      await expect(dec(key, longer)).rejects.toMatchObject({ code: 'ENCRYPTION_ERROR' });
    });

    it('sealed under another key', async () => {
      const s = await sealedOnce();
      const other = generateBackupKey();
      await expect(dec({ id: key.id, key: other.key }, s)).rejects.toMatchObject({
        code: 'ENCRYPTION_ERROR',
      });
    });
  });

  it('decrypts off the main thread (WebCrypto) with the same checks', async () => {
    const plain = randomBytes(2 * CHUNK + 5);
    const s = await enc(key, plain);
    expect((await openObjectAsync(() => key, s)).equals(plain)).toBe(true);
    const swapped = Buffer.from(s);
    s.subarray(HEADER_SIZE, HEADER_SIZE + BLOCK).copy(swapped, HEADER_SIZE + BLOCK);
    s.subarray(HEADER_SIZE + BLOCK, HEADER_SIZE + 2 * BLOCK).copy(swapped, HEADER_SIZE);
    const flipped = Buffer.from(s);
    flipped[HEADER_SIZE + 3]! ^= 1;
    for (const bad of [
      s.subarray(0, HEADER_SIZE + 2 * BLOCK),
      s.subarray(0, s.length - 1),
      swapped,
      flipped,
    ])
      await expect(openObjectAsync(() => key, bad)).rejects.toMatchObject({
        code: 'ENCRYPTION_ERROR',
      });
  });

  it('refuses a header asking for an absurd chunk size before reading on', async () => {
    const s = Buffer.from(await enc(key, Buffer.from('hello')));
    s.writeUInt32BE(0x7fffffff, 12);
    await expect(dec(key, s)).rejects.toThrow(/out of bounds/);
  });
});
