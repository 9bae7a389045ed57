import { execFileSync } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdtempSync,
  readdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { Header } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core/core';
import { opensslEd25519 } from '../../helpers/bundles';

const GiB = 1024 ** 3;
const work = mkdtempSync(join(tmpdir(), 'rigger-bounds-'));
let core: Core;
let vendor: { key: string; pub: string };

type Member = { name: string; data: Buffer } | { name: string; zeros: number };

/** A .tar.gz made as a stream: a 3 GiB member of zeros costs a few MB on disk, never 3 GiB. */
async function tarGz(path: string, members: Member[]): Promise<void> {
  async function* blocks(): AsyncIterable<Buffer> {
    for (const m of members) {
      const size = 'data' in m ? m.data.length : m.zeros;
      const h = new Header({ path: m.name, mode: 0o644, size, type: 'File', mtime: new Date(0) });
      const block = Buffer.alloc(512);
      h.encode(block, 0);
      yield block;
      if ('data' in m) yield m.data;
      else {
        const mib = Buffer.alloc(1024 * 1024);
        for (let left = m.zeros; left > 0; left -= mib.length)
          yield mib.subarray(0, Math.min(left, mib.length));
      }
      if (size % 512) yield Buffer.alloc(512 - (size % 512));
    }
    yield Buffer.alloc(1024);
  }
  await pipeline(Readable.from(blocks()), createGzip({ level: 1 }), createWriteStream(path));
}

/** The manifest of a 1 MiB raw image, signed by `vendor` (or with a bogus signature). */
function manifestMembers(bogus = false): Member[] {
  const manifest = Buffer.from(
    JSON.stringify({
      manifest: 1,
      id: 'univa-gw-pro-v9.9.9',
      version: 'v9.9.9',
      type: 'security',
      severity: 'critical',
      channel: 'stable',
      released: '2025-03-15',
      description: 'bounded',
      changelog: [],
      compatible: { models: ['Univa-GW-Pro'], hardware_revisions: ['RevB'] },
      prerequisites: [],
      image: {
        file: 'gateway.img',
        format: 'raw',
        compression: 'none',
        size: 1024 * 1024,
        sha256: 'a'.repeat(64),
        compressed_size: 1024 * 1024,
        compressed_sha256: 'a'.repeat(64),
      },
    }),
  );
  const mf = join(work, 'manifest.json');
  writeFileSync(mf, manifest);
  const sig = bogus
    ? Buffer.from(Buffer.alloc(64, 7).toString('base64'))
    : Buffer.from(
        execFileSync('openssl', [
          'pkeyutl',
          '-sign',
          '-inkey',
          vendor.key,
          '-rawin',
          '-in',
          mf,
        ]).toString('base64'),
      );
  return [
    { name: 'manifest.json', data: manifest },
    { name: 'manifest.sig', data: sig },
  ];
}

/** Import, watching the largest file under the image store while it runs. */
async function importWatched(path: string) {
  const root = join(core.info.data_dir, 'images');
  let largest = 0;
  const sizes = (d: string): number[] =>
    existsSync(d)
      ? readdirSync(d, { withFileTypes: true }).flatMap((e) =>
          e.isDirectory()
            ? sizes(join(d, e.name))
            : [statSync(join(d, e.name), { throwIfNoEntry: false })?.size ?? 0],
        )
      : [];
  const timer = setInterval(() => (largest = Math.max(largest, ...sizes(root))), 20);
  try {
    const err = await core.call('images.import', { path }).then(
      () => null,
      (e: unknown) => e as { code: string; message: string },
    );
    return { err, largest };
  } finally {
    clearInterval(timer);
  }
}

beforeAll(async () => {
  core = createCore({ dataDir: join(work, 'data'), mode: 'test' });
  vendor = opensslEd25519(work);
  await core.call('keys.add', { path: vendor.pub });
  await core.call('settings.update', { rigger: { image_quota_bytes: 64 * 1024 * 1024 } });
});
afterAll(async () => core?.close());

describe('a bundle never writes past what it may', () => {
  it('an image member before the manifest is bounded by the library quota', async () => {
    const path = join(work, 'image-first.tar.gz');
    await tarGz(path, [{ name: 'gateway.img', zeros: 3 * GiB }, ...manifestMembers()]);
    expect(statSync(path).size).toBeLessThan(64 * 1024 * 1024);
    const { err, largest } = await importWatched(path);
    expect(err?.code).toBe('OTA_003');
    expect(largest).toBeLessThanOrEqual(64 * 1024 * 1024);
    expect(await core.call('images.list', {})).toEqual([]);
  });

  it('a manifest whose signature does not verify stops the import before the image is written', async () => {
    const path = join(work, 'bogus-sig.tar.gz');
    await tarGz(path, [...manifestMembers(true), { name: 'gateway.img', zeros: 3 * GiB }]);
    const { err, largest } = await importWatched(path);
    expect(err?.code).toBe('OTA_006');
    expect(largest).toBe(0);
  });

  it('an image larger than its verified manifest declares is refused before it is written', async () => {
    const path = join(work, 'too-big.tar.gz');
    await tarGz(path, [...manifestMembers(), { name: 'gateway.img', zeros: 3 * GiB }]);
    const { err, largest } = await importWatched(path);
    expect(err?.code).toBe('OTA_007');
    expect(err?.message).toMatch(/manifest declares/);
    expect(largest).toBe(0);
  });
});
