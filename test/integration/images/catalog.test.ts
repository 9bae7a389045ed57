import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core/core';
import { fetchCatalog } from '../../../src/main/core/images/catalog';
import { downloadResumable } from '../../../src/main/core/images/download';
import { updatesCheckSchema, uploadVerifySchema } from '../../../src/shared/images';
import { startGatewaySim, type GatewaySim } from '../../gateway-sim';
import { makeBundle, opensslEd25519, type BundleOpts } from '../../helpers/bundles';
import { addSimGateway } from '../../helpers/sim-gateway';

const work = mkdtempSync(join(tmpdir(), 'rigger-cat-'));
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A real update server on 127.0.0.1: catalogs, bundles with Range, and faults on demand. */
function updateServer(
  files: Record<string, Buffer | string>,
  faults: {
    cutAfter?: number;
    cutTimes?: number;
    /** Fail the first N requests of a path: a 503, then a dropped connection, alternately. */
    failFirst?: Record<string, number>;
  } = {},
) {
  let cuts = 0;
  const requests: Array<{ path: string; range?: string }> = [];
  const failures: Record<string, number> = {};
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push({ path, range: req.headers.range });
    const failed = failures[path] ?? 0;
    if (failed < (faults.failFirst?.[path] ?? 0)) {
      failures[path] = failed + 1;
      if (failed % 2 === 0) res.writeHead(503).end('busy');
      else req.socket.destroy();
      return;
    }
    const body = files[path];
    if (body === undefined) {
      res.writeHead(404).end('not found');
      return;
    }
    const buf = Buffer.isBuffer(body) ? body : Buffer.from(body);
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const start = m ? Number(m[1]) : 0;
    res.writeHead(m ? 206 : 200, {
      'Content-Length': buf.length - start,
      ...(m ? { 'Content-Range': `bytes ${start}-${buf.length - 1}/${buf.length}` } : {}),
    });
    const rest = buf.subarray(start);
    if (
      faults.cutAfter !== undefined &&
      cuts < (faults.cutTimes ?? 1) &&
      rest.length > faults.cutAfter
    ) {
      cuts++;
      res.write(rest.subarray(0, faults.cutAfter), () => res.destroy());
      return;
    }
    res.end(rest);
  });
  return new Promise<{ url: string; requests: typeof requests; close: () => Promise<void> }>(
    (resolve) =>
      server.listen(0, '127.0.0.1', () =>
        resolve({
          url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
          requests,
          close: () => new Promise((r) => server.close(() => r())),
        }),
      ),
  );
}

let vendor: { key: string; pub: string };
let bundle: { path: string; manifest: Record<string, unknown>; image: Buffer };
let bytes: Buffer;

beforeAll(() => {
  vendor = opensslEd25519(work);
  bundle = makeBundle(work, 'cat', { signer: vendor, version: 'v5.0.5', size: 600_000 });
  bytes = readFileSync(bundle.path);
});

const catalogOf = (entries: object[]) =>
  JSON.stringify({
    catalog: 1,
    channel: 'stable',
    generated: '2025-03-15T10:30:00Z',
    updates: entries,
  });
const entry = () => ({
  id: 'univa-gw-pro-v5.0.5',
  version: 'v5.0.5',
  type: 'security',
  severity: 'critical',
  size: bundle.image.length,
  released: '2025-03-15',
  description: 'Security patches',
  changelog: ['Fixed CVE-2025-1234'],
  prerequisites: ['v5.0.0+'],
  compatible: { models: ['Univa-GW-Pro'], hardware_revisions: ['RevA', 'RevB'] },
  bundle_url: 'v5.0.5/univa-gw-pro-v5.0.5.tar.gz',
  bundle_sha256: sha(bytes),
  bundle_size: bytes.length,
});

describe('resumable download', () => {
  it('resumes with Range after the link drops, and the file is byte-identical', async () => {
    const srv = await updateServer({ '/b.tar.gz': bytes }, { cutAfter: 100_000, cutTimes: 3 });
    try {
      const dest = join(work, 'b.part');
      await downloadResumable(
        { url: `${srv.url}/b.tar.gz`, dest, sha256: sha(bytes), size: bytes.length },
        undefined,
        { backoffMs: 10 },
      );
      expect(sha(readFileSync(dest))).toBe(sha(bytes));
      // Each retry asks only for what is missing: offsets grow, never back to zero.
      const offsets = srv.requests.map((r) => Number(/bytes=(\d+)-/.exec(r.range ?? '')?.[1] ?? 0));
      expect(offsets.length).toBe(4);
      expect(offsets[0]).toBe(0);
      for (let i = 1; i < offsets.length; i++) expect(offsets[i]).toBeGreaterThan(offsets[i - 1]!);
    } finally {
      await srv.close();
    }
  });

  it('deletes a download whose checksum is wrong (OTA_007) and says 404 plainly (OTA_009)', async () => {
    const srv = await updateServer({ '/b.tar.gz': bytes });
    try {
      const dest = join(work, 'bad.part');
      await expect(
        downloadResumable({
          url: `${srv.url}/b.tar.gz`,
          dest,
          sha256: 'f'.repeat(64),
          size: bytes.length,
        }),
      ).rejects.toMatchObject({
        code: 'OTA_007',
        details: { expected: 'f'.repeat(64), actual: sha(bytes) },
      });
      await expect(
        downloadResumable({ url: `${srv.url}/nope`, dest, sha256: sha(bytes), size: bytes.length }),
      ).rejects.toMatchObject({ code: 'OTA_009' });
    } finally {
      await srv.close();
    }
  });
});

describe('catalog sync, updates check and upload verify', () => {
  let core: Core;
  let sim: GatewaySim;
  let srv: Awaited<ReturnType<typeof updateServer>>;

  beforeAll(async () => {
    srv = await updateServer(
      {
        '/stable/catalog.json': catalogOf([entry()]),
        '/stable/v5.0.5/univa-gw-pro-v5.0.5.tar.gz': bytes,
      },
      { cutAfter: 200_000 },
    );
    core = createCore({ dataDir: join(work, 'data'), mode: 'test' });
    await core.call('keys.add', { path: vendor.pub });
    sim = await startGatewaySim({ scheme: 'bootcount', versions: { A: 'v5.0.4', B: 'v5.0.3' } });
    await addSimGateway(core, sim);
  });
  afterAll(async () => {
    await core.close();
    await sim.stop();
    await srv.close();
  });

  it('refuses a server that answers 404, HTML, or a catalog that fails its schema', async () => {
    const bad = await updateServer({
      '/stable/catalog.json': '<html>login</html>',
      '/beta/catalog.json': catalogOf([{ id: 'x' }]),
    });
    try {
      await expect(
        core.call('images.sync', { server: bad.url, channel: 'stable' }),
      ).rejects.toMatchObject({ code: 'OTA_009', message: expect.stringContaining('not JSON') });
      await expect(
        core.call('images.sync', { server: bad.url, channel: 'beta' }),
      ).rejects.toMatchObject({
        code: 'VALIDATION_ERROR',
        message: expect.stringContaining('updates.0'),
      });
      await expect(
        core.call('images.sync', { server: bad.url, channel: 'nightly' }),
      ).rejects.toMatchObject({ code: 'OTA_009', message: expect.stringContaining('404') });
    } finally {
      await bad.close();
    }
  });

  it('retries the catalog fetch with backoff: a 503 and a dropped connection, then it answers', async () => {
    const flaky = await updateServer(
      { '/stable/catalog.json': catalogOf([entry()]) },
      { failFirst: { '/stable/catalog.json': 2 } },
    );
    try {
      const r = await core.call('images.sync', {
        server: flaky.url,
        channel: 'stable',
        download: false,
      });
      expect(r).toMatchObject({ channel: 'stable', updates: 1 });
      expect(flaky.requests.map((q) => q.path)).toEqual(Array(3).fill('/stable/catalog.json'));
    } finally {
      await flaky.close();
    }
  });

  it('gives up after its retries on a server that stays unwell, and never retries a 404', async () => {
    const down = await updateServer(
      { '/stable/catalog.json': catalogOf([entry()]) },
      { failFirst: { '/stable/catalog.json': 100 } },
    );
    try {
      const started = Date.now();
      await expect(
        fetchCatalog(down.url, 'stable', { retries: 3, backoffMs: 20 }),
      ).rejects.toMatchObject({ code: 'OTA_009', message: expect.stringContaining('4 tries') });
      expect(down.requests).toHaveLength(4);
      // Backoff doubles: 20 + 40 + 80 ms at least.
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      await expect(
        fetchCatalog(down.url, 'beta', { retries: 3, backoffMs: 20 }),
      ).rejects.toMatchObject({ code: 'OTA_009', message: expect.stringContaining('404') });
      expect(down.requests).toHaveLength(5);
    } finally {
      await down.close();
    }
  });

  it('lists a catalog entry as not downloaded yet, offline', async () => {
    await core.call('images.sync', { server: srv.url, channel: 'stable', download: false });
    const check = await core.call('updates.check', { gateway: 'gw' });
    expect(updatesCheckSchema.parse(check)).toEqual(check);
    expect(check.updates).toEqual([
      expect.objectContaining({
        id: 'univa-gw-pro-v5.0.5',
        downloaded: false,
        signature: null,
        compatible: true,
      }),
    ]);
    expect(check.last_checked).toBeTruthy();
    expect(check.gateway_version).toBe('v5.0.4');
  });

  it('downloads (resuming the cut transfer), verifies and imports the bundle', async () => {
    const r = await core.call('images.sync', { server: srv.url, channel: 'stable' });
    expect(r).toMatchObject({ downloaded: ['univa-gw-pro-v5.0.5'], failed: [] });
    expect(
      srv.requests.some((q) => q.path.endsWith('.tar.gz') && q.range?.startsWith('bytes=')),
    ).toBe(true);
    const check = await core.call('updates.check', { gateway: 'gw' });
    expect(check.updates).toEqual([
      expect.objectContaining({
        id: 'univa-gw-pro-v5.0.5',
        downloaded: true,
        signature: 'verified',
        size_unit: 'MB',
        checksum: `sha256:${sha(bundle.image)}`,
      }),
    ]);
  });

  it('offers only what fits: model, hardware revision, newer, prerequisites met', async () => {
    const cases: Array<[string, Partial<BundleOpts>]> = [
      ['reva', { revisions: ['RevA'], version: 'v5.0.8' }],
      ['old', { version: 'v5.0.1' }],
      ['prereq', { version: 'v5.0.9', prerequisites: ['v5.0.6+'] }],
      ['other', { version: 'v5.1.0', models: ['Other-GW'] }],
      ['fits', { version: 'v5.1.0' }],
    ];
    for (const [name, o] of cases) {
      const b = makeBundle(work, `fit-${name}`, { signer: vendor, id: `fit-${name}`, ...o });
      await core.call('images.import', { path: b.path });
    }
    const ids = (await core.call('updates.check', { gateway: 'gw' })).updates.map((u) => u.id);
    expect(ids).toEqual(['fit-fits', 'univa-gw-pro-v5.0.5']);
  });

  it("verifies an image against the gateway's profile, in the seed's shape, nulls for what cannot be checked", async () => {
    const v = await core.call('upload.verify', { image_id: 'univa-gw-pro-v5.0.5', gateway: 'gw' });
    expect(uploadVerifySchema.parse(v)).toEqual(v);
    expect(v.validation).toEqual({
      signature_valid: true,
      checksum_valid: true,
      // Random bytes: not a filesystem Rigger can recognise, so the layout cannot be judged.
      partition_layout_valid: null,
      // The sim's environment selects a slot and falls back (altbootcmd, bootlimit).
      bootloader_compatible: true,
      hardware_compatible: true,
      size_adequate: true,
    });
    expect(v.status).toBe('incomplete');
    const other = await core.call('upload.verify', { image_id: 'fit-other', gateway: 'gw' });
    expect(other.validation.hardware_compatible).toBe(false);
    expect(other.status).toBe('failed');
  });

  describe('upload.verify of a file not yet imported', () => {
    let ext4: string;
    const libraryIds = async () => (await core.call('images.list', {})).map((i) => i.id).sort();
    const leftovers = () => readdirSync(join(work, 'data')).filter((n) => n.startsWith('verify-'));

    beforeAll(() => {
      ext4 = join(work, 'rootfs.ext4');
      execFileSync('mke2fs', ['-q', '-t', 'ext4', '-F', ext4, '2M']);
    });

    it('reads a fully checkable bundle and finds it verified, importing nothing', async () => {
      const before = await libraryIds();
      const b = makeBundle(work, 'vfy-ok', {
        signer: vendor,
        id: 'vfy-ok',
        version: 'v5.2.0',
        imageFile: ext4,
      });
      const v = await core.call('upload.verify', { path: b.path, gateway: 'gw' });
      expect(uploadVerifySchema.parse(v)).toEqual(v);
      expect(v.validation).toEqual({
        signature_valid: true,
        checksum_valid: true,
        partition_layout_valid: true,
        bootloader_compatible: true,
        hardware_compatible: true,
        size_adequate: true,
      });
      expect(v.status).toBe('verified');
      expect(v.file).toMatchObject({
        name: 'vfy-ok.tar.gz',
        version: 'v5.2.0',
        format: 'raw',
        compression: 'gzip',
        checksum: `sha256:${(b.manifest.image as { compressed_sha256: string }).compressed_sha256}`,
      });
      expect(v.metadata).toMatchObject({ signature: 'verified', compatibility: 'compatible' });
      expect(await libraryIds()).toEqual(before);
      expect(leftovers()).toEqual([]);
    });

    it('checksum_valid=false for a bundle whose image hash does not match its manifest', async () => {
      const before = await libraryIds();
      const b = makeBundle(work, 'vfy-hash', {
        signer: vendor,
        id: 'vfy-hash',
        version: 'v5.2.1',
        imageFile: ext4,
        tamper: (m) => ((m.image as Record<string, unknown>).sha256 = 'a'.repeat(64)),
      });
      const v = await core.call('upload.verify', { path: b.path, gateway: 'gw' });
      expect(v.validation.checksum_valid).toBe(false);
      // The manifest was signed as it is: only the bytes are wrong.
      expect(v.validation.signature_valid).toBe(true);
      expect(v.status).toBe('failed');
      expect(await libraryIds()).toEqual(before);
      expect(leftovers()).toEqual([]);
    });

    it('size_adequate=false for an image larger than the slot of the gateway profile', async () => {
      const small = JSON.parse(readFileSync(sim.profilePath, 'utf8'));
      small.slots.A.size_bytes = 1024 * 1024;
      small.slots.B.size_bytes = 1024 * 1024;
      writeFileSync(join(work, 'small-slots.json'), JSON.stringify(small));
      await addSimGateway(core, sim, { name: 'gw-small', profile: join(work, 'small-slots.json') });
      const b = makeBundle(work, 'vfy-ok', {
        signer: vendor,
        id: 'vfy-ok',
        version: 'v5.2.0',
        imageFile: ext4,
      });
      const v = await core.call('upload.verify', { path: b.path, gateway: 'gw-small' });
      expect(v.validation.size_adequate).toBe(false);
      expect(v.validation.checksum_valid).toBe(true);
      expect(v.status).toBe('failed');
    });

    it('an untrusted signer fails; a loose image is judged as far as it can be', async () => {
      const stranger = opensslEd25519(work, 'vfy-stranger');
      const untrusted = await core.call('upload.verify', {
        path: makeBundle(work, 'vfy-untrusted', {
          signer: stranger,
          id: 'vfy-u',
          version: 'v5.2.2',
          imageFile: ext4,
        }).path,
        gateway: 'gw',
      });
      expect(untrusted.validation.signature_valid).toBe(false);
      expect(untrusted.metadata.signature).toBe('invalid');
      expect(untrusted.status).toBe('failed');

      const img = join(work, 'custom-v5.2.3.img');
      copyFileSync(ext4, img);
      const loose = await core.call('upload.verify', {
        path: img,
        version: 'v5.2.3-custom',
        gateway: 'gw',
      });
      expect(loose.file).toMatchObject({ name: 'custom-v5.2.3.img', version: 'v5.2.3-custom' });
      // No manifest: no signature, nothing to check the hash against, no compatibility list.
      expect(loose.validation).toEqual({
        signature_valid: null,
        checksum_valid: null,
        partition_layout_valid: true,
        bootloader_compatible: true,
        hardware_compatible: null,
        size_adequate: true,
      });
      expect(loose.status).toBe('incomplete');
      await expect(core.call('upload.verify', { path: img, gateway: 'gw' })).rejects.toMatchObject({
        code: 'VALIDATION_ERROR',
      });
      await expect(
        core.call('upload.verify', { path: img, image_id: 'vfy-ok', gateway: 'gw' }),
      ).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
      expect(leftovers()).toEqual([]);
    });
  });
});
