import { createPublicKey, X509Certificate } from 'node:crypto';
import { createReadStream, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isEarlyRefusal, watchSigner } from '../../../../src/main/core/images/early-signer';
import type { TrustAnchors } from '../../../../src/main/core/images/signature';
import { makeBundle, opensslCa, opensslEd25519 } from '../../../helpers/bundles';

const work = mkdtempSync(join(tmpdir(), 'rigger-early-unit-'));
const vendor = opensslEd25519(work, 'vendor');
const stranger = opensslEd25519(work, 'stranger');
const ca = opensslCa(work, { name: 'trusted' });
const otherCa = opensslCa(work, { name: 'other' });
const SIZE = 2 * 1024 * 1024;

const anchors = (o: { ed?: boolean; ca?: boolean }): TrustAnchors => ({
  ed25519: o.ed
    ? [{ fingerprint: 'vendor', name: 'vendor', key: createPublicKey(readFileSync(vendor.pub)) }]
    : [],
  cas: o.ca
    ? [{ fingerprint: 'ca', name: 'ca', cert: new X509Certificate(readFileSync(ca.caCrt)) }]
    : [],
});

/** Stream a file through the watcher in 16 KiB reads: the bytes that got through, or the refusal. */
async function pass(file: string, a: TrustAnchors, name = 'b.tar') {
  const out = watchSigner(name, createReadStream(file, { highWaterMark: 16 * 1024 }), () => a);
  let through = 0;
  try {
    for await (const c of out) through += (c as Buffer).length;
    return { through, error: null };
  } catch (err) {
    return { through, error: err };
  }
}

describe('watchSigner: refuses an untrusted signer as soon as it is certain', () => {
  it('Ed25519, no trusted key verifies, no CA could vouch later: refused before the image', async () => {
    const b = makeBundle(work, 'ed-untrusted', {
      signer: stranger,
      gzipTar: false,
      gzipImage: false,
      size: SIZE,
    });
    const r = await pass(b.path, anchors({ ed: true }));
    expect(isEarlyRefusal(r.error)).toBe(true);
    expect(r.error).toMatchObject({ code: 'OTA_006' });
    expect(r.through).toBeLessThan(64 * 1024);
  });

  it('the same inside gzip (.tar.gz): refused early too', async () => {
    const b = makeBundle(work, 'ed-untrusted-gz', {
      signer: stranger,
      gzipImage: false,
      size: SIZE,
    });
    const r = await pass(b.path, anchors({ ed: true }), 'b.tar.gz');
    expect(isEarlyRefusal(r.error)).toBe(true);
    expect(r.through).toBeLessThan(statSync(b.path).size);
  });

  it('a trusted signer: every byte goes through, untouched', async () => {
    const b = makeBundle(work, 'ed-trusted', {
      signer: vendor,
      gzipTar: false,
      gzipImage: false,
      size: SIZE,
    });
    expect(await pass(b.path, anchors({ ed: true }))).toEqual({
      through: statSync(b.path).size,
      error: null,
    });
  });

  it('Ed25519 untrusted but a CA is trusted: not certain early (a certificate may follow the image)', async () => {
    const b = makeBundle(work, 'ed-with-ca', {
      signer: stranger,
      gzipTar: false,
      gzipImage: false,
      size: SIZE,
    });
    expect(await pass(b.path, anchors({ ed: true, ca: true }))).toEqual({
      through: statSync(b.path).size,
      error: null,
    });
  });

  it('X.509: a certificate that chains to no trusted CA is refused once the three members are in', async () => {
    const b = makeBundle(work, 'x509-other', {
      signer: { key: otherCa.leafKey, crt: otherCa.leafCrt },
      gzipTar: false,
      gzipImage: false,
      size: SIZE,
    });
    const r = await pass(b.path, anchors({ ca: true }));
    expect(isEarlyRefusal(r.error)).toBe(true);
    expect((r.error as { details: Record<string, unknown> }).details).toMatchObject({
      signer_subject: expect.stringContaining('other Signing'),
    });
    const good = makeBundle(work, 'x509-good', {
      signer: { key: ca.leafKey, crt: ca.leafCrt },
      gzipTar: false,
      gzipImage: false,
      size: SIZE,
    });
    expect((await pass(good.path, anchors({ ca: true }))).error).toBeNull();
  });

  it('a loose image is not a bundle: nothing to judge, every byte goes through', async () => {
    const b = makeBundle(work, 'loose', {
      signer: stranger,
      gzipTar: false,
      gzipImage: false,
      size: SIZE,
    });
    const r = await pass(b.path, anchors({ ed: true }), 'gateway.img');
    expect(r).toEqual({ through: statSync(b.path).size, error: null });
  });
});
