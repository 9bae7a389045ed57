import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyManifestSignature } from '../../../src/main/core/images/signature';
import { makeBundle, opensslCa, opensslEd25519 } from '../../helpers/bundles';
import { core, refused, useImportCore, vendor, work } from './import-fixture';

useImportCore();

describe('bad input: a clear error and nothing half-imported', () => {
  it('an untrusted Ed25519 signer (OTA_006)', async () => {
    const stranger = opensslEd25519(work, 'stranger');
    const e = await refused(
      makeBundle(work, 'untrusted', { signer: stranger, id: 'u-v6.0.0', version: 'v6.0.0' }).path,
    );
    expect(e.code).toBe('OTA_006');
    // An Ed25519 bundle carries only its signature: the signer cannot be named, and it says so.
    expect(e.message).toMatch(/cannot name the key that signed it/);
    expect(e.message).toMatch(/carries only the signature/);
    const [trusted] = await core.call('keys.list', {});
    expect(e.message).toContain(trusted!.fingerprint);
    expect(e.details).toMatchObject({
      signer_fingerprint: null,
      signer_identifiable: false,
      trusted_keys: expect.arrayContaining([trusted!.fingerprint]),
    });
  });

  it('an expired signing certificate, through a real import (OTA_006, nothing imported)', async () => {
    const ca = opensslCa(work, {
      name: 'expired',
      leafDates: { start: '20240101000000Z', end: '20240201000000Z' },
    });
    await core.call('keys.add', { path: ca.caCrt });
    const e = await refused(
      makeBundle(work, 'expired', {
        signer: { key: ca.leafKey, crt: ca.leafCrt },
        id: 'exp-v6.0.0',
        version: 'v6.0.0',
      }).path,
    );
    expect(e.code).toBe('OTA_006');
    expect(e.message).toMatch(/expired Signing.*is not valid now/);
    expect(e.details).toMatchObject({
      signer_fingerprint: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      valid_to: expect.stringContaining('2024'),
    });
  });

  it('a certificate from a CA that is not trusted names its fingerprint (OTA_006)', async () => {
    const other = opensslCa(work, { name: 'other' });
    const e = await refused(
      makeBundle(work, 'otherca', {
        signer: { key: other.leafKey, crt: other.leafCrt },
        id: 'o-v6.0.0',
        version: 'v6.0.0',
      }).path,
    );
    expect(e.code).toBe('OTA_006');
    expect(e.details.signer_fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(e.message).toContain('does not chain to a trusted CA');
  });

  it('a leaf that is not for code signing (OTA_006)', async () => {
    const ca = opensslCa(work, { name: 'tls', eku: 'serverAuth' });
    await core.call('keys.add', { path: ca.caCrt });
    const e = await refused(
      makeBundle(work, 'tls', {
        signer: { key: ca.leafKey, crt: ca.leafCrt },
        id: 't-v6.0.0',
        version: 'v6.0.0',
      }).path,
    );
    expect(e.message).toContain('not for code signing');
  });

  it('an expired certificate (checked at a time past its validity)', () => {
    const ca = opensslCa(work, { name: 'soon', leafDays: 1 });
    const b = makeBundle(work, 'soon', { signer: { key: ca.leafKey, crt: ca.leafCrt } });
    const dir = join(work, 'soon.d');
    const anchors = {
      ed25519: [],
      cas: [
        {
          fingerprint: 'x',
          name: 'soon',
          cert: new X509Certificate(readFileSync(ca.caCrt)),
        },
      ],
    };
    const later = new Date(Date.now() + 5 * 86400_000);
    expect(() =>
      verifyManifestSignature(
        readFileSync(join(dir, 'manifest.json')),
        readFileSync(join(dir, 'manifest.sig')),
        readFileSync(ca.leafCrt, 'utf8'),
        anchors,
        later,
      ),
    ).toThrow(/is not valid now/);
    expect(b.path).toBeTruthy();
  });

  it('a bad signature over a changed manifest (OTA_006)', async () => {
    const b = makeBundle(work, 'resigned', { signer: vendor, id: 'r-v6.0.0', version: 'v6.0.0' });
    const dir = join(work, 'resigned.d');
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    m.description = 'changed after signing';
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(m, null, 2));
    execFileSync('tar', [
      '-C',
      dir,
      '-cf',
      join(work, 'resigned2.tar'),
      'manifest.json',
      'manifest.sig',
      'gateway.img.gz',
    ]);
    expect((await refused(join(work, 'resigned2.tar'))).code).toBe('OTA_006');
    expect(b.path).toBeTruthy();
  });
});
