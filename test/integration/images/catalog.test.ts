import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core/core';
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
  faults: { cutAfter?: number; cutTimes?: number } = {},
) {
  let cuts = 0;
  const requests: Array<{ path: string; range?: string }> = [];
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push({ path, range: req.headers.range });
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
      partition_layout_valid: null,
      bootloader_compatible: null,
      hardware_compatible: true,
      size_adequate: true,
    });
    expect(v.status).toBe('incomplete');
    const other = await core.call('upload.verify', { image_id: 'fit-other', gateway: 'gw' });
    expect(other.validation.hardware_compatible).toBe(false);
    expect(other.status).toBe('failed');
  });
});
