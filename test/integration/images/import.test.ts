import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { libraryImageSchema } from '../../../src/shared/images';
import { makeBundle, makeRawImage, opensslCa } from '../../helpers/bundles';
import { core, storedFiles, useImportCore, vendor, work } from './import-fixture';

useImportCore();

describe('import of bundles made by openssl and GNU tar', () => {
  it('imports an Ed25519-signed .tar.gz as verified, naming its signer', async () => {
    const b = makeBundle(work, 'good', { signer: vendor });
    const img = await core.call('images.import', { path: b.path });
    expect(libraryImageSchema.parse(img)).toEqual(img);
    expect(img).toMatchObject({
      id: 'univa-gw-pro-v5.0.5',
      version: 'v5.0.5',
      signature: 'verified',
      compression: 'gzip',
      size: b.image.length,
    });
    const [key] = await core.call('keys.list', {});
    expect(img.signer).toBe(key!.fingerprint);
    expect((await core.call('images.verify', { id: img.id })).ok).toBe(true);
  });

  it('keeps one copy when the same image is imported twice', async () => {
    const before = storedFiles().length;
    const b = makeBundle(work, 'good', { signer: vendor });
    await core.call('images.import', { path: b.path });
    expect(storedFiles().length).toBe(before);
    expect((await core.call('images.usage', {})).blobs).toBe(1);
  });

  it('imports an uncompressed image in a plain .tar', async () => {
    const b = makeBundle(work, 'plain', {
      signer: vendor,
      id: 'plain-v5.0.6',
      version: 'v5.0.6',
      gzipImage: false,
      gzipTar: false,
    });
    expect(await core.call('images.import', { path: b.path })).toMatchObject({
      compression: 'none',
      signature: 'verified',
    });
  });

  it('imports an X.509-signed bundle whose certificate chains to a trusted CA', async () => {
    const ca = opensslCa(work, { name: 'acme' });
    await core.call('keys.add', { path: ca.caCrt });
    const b = makeBundle(work, 'x509', {
      signer: { key: ca.leafKey, crt: ca.leafCrt },
      id: 'x509-v5.0.7',
      version: 'v5.0.7',
    });
    const img = await core.call('images.import', { path: b.path });
    expect(img).toMatchObject({ signature: 'verified', signer_name: 'acme Signing' });
  });
});

describe('RSA-signed X.509 bundles (IMAGE-BUNDLE.md allows PKCS#1 v1.5 and PSS with SHA-256)', () => {
  it('imports a bundle signed with RSA PKCS#1 v1.5 and one signed with RSA-PSS', async () => {
    const ca = opensslCa(work, { name: 'rsa', keyType: 'rsa' });
    await core.call('keys.add', { path: ca.caCrt });
    const signer = { key: ca.leafKey, crt: ca.leafCrt };
    const v15 = await core.call('images.import', {
      path: makeBundle(work, 'rsa15', { signer, id: 'rsa15-v5.3.0', version: 'v5.3.0' }).path,
    });
    expect(v15).toMatchObject({ signature: 'verified', signer_name: 'rsa Signing' });
    const pss = await core.call('images.import', {
      path: makeBundle(work, 'rsapss', {
        signer,
        pss: true,
        id: 'rsapss-v5.3.1',
        version: 'v5.3.1',
      }).path,
    });
    expect(pss).toMatchObject({ signature: 'verified', signer: v15.signer });
  });
});

describe('library', () => {
  it('deletes an image and its blob once nothing refers to it', async () => {
    const files = storedFiles().length;
    await core.call('images.remove', { id: 'plain-v5.0.6' });
    expect(storedFiles().length).toBe(files - 1);
    await expect(core.call('images.get', { id: 'plain-v5.0.6' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('finds a stored image that was damaged on disk', async () => {
    const [img] = await core.call('images.list', { signature: 'verified', channel: 'stable' });
    const blob = core.images.store.path(core.images.library.blobOf(img!.id));
    const bytes = readFileSync(blob);
    appendFileSync(blob, 'x');
    const r = await core.call('images.verify', { id: img!.id });
    expect(r.ok).toBe(false);
    writeFileSync(blob, bytes);
    expect((await core.call('images.verify', { id: img!.id })).ok).toBe(true);
  });

  it('makes bundles with its own keys and bundle create, which then import', async () => {
    const { generateSigningKeys, createBundle } =
      await import('../../../src/main/core/images/bundle-create');
    const keys = generateSigningKeys(join(work, 'site-keys'));
    expect(() => generateSigningKeys(join(work, 'site-keys'))).toThrow(/will not overwrite/);
    await core.call('keys.add', { path: keys.publicKey });
    const raw = join(work, 'site.img');
    makeRawImage(raw, 150_000, 'site');
    const draft = {
      id: 'site-v5.2.0',
      version: 'v5.2.0',
      type: 'feature',
      severity: 'normal',
      channel: 'stable',
      released: '2025-04-01',
      description: 'Site build',
      changelog: [],
      compatible: { models: ['Univa-GW-Pro'], hardware_revisions: ['RevB'] },
      prerequisites: [],
    };
    writeFileSync(join(work, 'site-manifest.json'), JSON.stringify(draft));
    const made = await createBundle({
      image: raw,
      manifest: join(work, 'site-manifest.json'),
      key: keys.privateKey,
      out: join(work, 'site.tar.gz'),
    });
    expect(made.signer).toBe(keys.fingerprint);
    expect(await core.call('images.import', { path: made.path })).toMatchObject({
      id: 'site-v5.2.0',
      signature: 'verified',
      signer: keys.fingerprint,
    });
  });
});
