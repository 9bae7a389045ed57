import { createHash, randomBytes } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  mkdtempSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { createBlobStore } from '../../../../src/main/core/images/blob-store';
import { createBlockIndexes } from '../../../../src/main/core/images/block-indexes';
import {
  blockIndexOf,
  encodeBlockIndex,
  indexPath,
} from '../../../../src/main/core/transfer/block-index';
import type { LibraryImage } from '../../../../src/shared/images';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A blob store holding one gzip image, and the library's view of it. */
function library(raw: Buffer, claimed = sha(raw)) {
  const dir = mkdtempSync(join(tmpdir(), 'rigger-blkidx-'));
  dirs.push(dir);
  const store = createBlobStore(dir);
  const stored = gzipSync(raw);
  const tmp = store.tempPath();
  writeFileSync(tmp, stored);
  const blob = store.commit(tmp, sha(stored)) && sha(stored);
  const image = { id: 'img', size: raw.length, sha256: claimed, compression: 'gzip' };
  const lib = { get: () => image as LibraryImage, blobOf: () => blob };
  const indexes = createBlockIndexes(store, lib, () => createReadStream(store.path(blob)));
  return { store, blob, indexes, file: indexPath(store.path(blob)) };
}

describe("the library's block indexes", () => {
  it('built from the decompressed image once, kept beside it, and used again', async () => {
    const raw = randomBytes(50_000);
    const { indexes, file } = library(raw);
    const idx = await indexes.of('img');
    expect(idx).toEqual(blockIndexOf(raw));
    expect(statSync(file).size).toBe(52 + Math.ceil(50_000 / 4096) * 32);
    const at = statSync(file).mtimeMs;
    await new Promise((r) => setTimeout(r, 20));
    expect(await indexes.of('img')).toEqual(idx);
    expect(statSync(file).mtimeMs).toBe(at);
  });

  it('a damaged, truncated or foreign index is built again', async () => {
    const raw = randomBytes(30_000);
    const { indexes, file } = library(raw);
    const good = await indexes.of('img');
    for (const bad of [Buffer.from('garbage'), Buffer.alloc(52 + 8 * 32)]) {
      writeFileSync(file, bad);
      expect(await indexes.of('img')).toEqual(good);
    }
    // Another image's index of the very same length: its SHA-256 gives it away.
    const other = blockIndexOf(randomBytes(30_000));
    writeFileSync(file, encodeBlockIndex(other));
    expect(await indexes.of('img')).toEqual(good);
  });

  it('an image whose bytes do not match its manifest gets no index', async () => {
    const { indexes, file } = library(randomBytes(10_000), '00'.repeat(32));
    await expect(indexes.of('img')).rejects.toMatchObject({ code: 'OTA_007' });
    expect(existsSync(file)).toBe(false);
  });

  it('goes with the image file', async () => {
    const { indexes, store, blob, file } = library(randomBytes(10_000));
    await indexes.of('img');
    expect(existsSync(file)).toBe(true);
    store.remove(blob);
    expect(existsSync(file)).toBe(false);
  });
});
