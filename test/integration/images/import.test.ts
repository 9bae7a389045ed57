import Database from 'better-sqlite3';
import { execFileSync, execSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core/core';
import { verifyManifestSignature } from '../../../src/main/core/images/signature';
import type { ProgressUpdateEvent } from '../../../src/shared/events';
import { seedSize } from '../../../src/shared/format/bytes';
import { libraryImageSchema } from '../../../src/shared/images';
import { makeBundle, makeRawImage, opensslCa, opensslEd25519 } from '../../helpers/bundles';

const work = mkdtempSync(join(tmpdir(), 'rigger-img-'));
let core: Core;
let vendor: { key: string; pub: string };

/** Everything under the image store, minus empty folders: proves nothing half-imported stays. */
function storedFiles(): string[] {
  const root = join(core.info.data_dir, 'images');
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else out.push(join(d, e.name));
    }
  };
  walk(root);
  return out;
}

async function refused(path: string, extra: Record<string, unknown> = {}) {
  const before = storedFiles().length;
  const rows = (await core.call('images.list', {})).length;
  const err = await core.call('images.import', { path, ...extra }).then(
    () => null,
    (e) => e,
  );
  expect(err, 'the import was refused').not.toBeNull();
  expect(storedFiles().length).toBe(before);
  expect((await core.call('images.list', {})).length).toBe(rows);
  return err as { code: string; message: string; details: Record<string, unknown> };
}

beforeAll(async () => {
  core = createCore({ dataDir: join(work, 'data'), mode: 'test' });
  vendor = opensslEd25519(work);
  await core.call('keys.add', { path: vendor.pub });
});
afterAll(() => core.close());

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

  it('a hash or a size that does not match the manifest (OTA_007 with expected and actual)', async () => {
    const e = await refused(
      makeBundle(work, 'badhash', {
        signer: vendor,
        id: 'h-v6.0.0',
        version: 'v6.0.0',
        tamper: (m) => ((m.image as Record<string, unknown>).sha256 = 'a'.repeat(64)),
      }).path,
    );
    expect(e).toMatchObject({
      code: 'OTA_007',
      details: { field: 'sha256', expected: 'a'.repeat(64) },
    });
    expect(e.details.actual).toMatch(/^[0-9a-f]{64}$/);
    const s = await refused(
      makeBundle(work, 'badsize', {
        signer: vendor,
        id: 's-v6.0.0',
        version: 'v6.0.0',
        tamper: (m) => ((m.image as Record<string, unknown>).size = 1),
      }).path,
    );
    expect(s).toMatchObject({ code: 'OTA_007', details: { field: 'size' } });
  });

  it('a manifest that fails the schema names the field', async () => {
    const e = await refused(
      makeBundle(work, 'schema', {
        signer: vendor,
        id: 'x-v6.0.0',
        version: 'v6.0.0',
        tamper: (m) => (m.severity = 'urgent'),
      }).path,
    );
    expect(e.code).toBe('VALIDATION_ERROR');
    expect(e.message).toContain('severity');
  });

  it('a truncated or corrupt gzip (OTA_005)', async () => {
    const b = makeBundle(work, 'trunc', { signer: vendor, id: 'tr-v6.0.0', version: 'v6.0.0' });
    truncateSync(b.path, Math.floor(statSync(b.path).size / 2));
    expect((await refused(b.path)).code).toBe('OTA_005');
    const dir = join(work, 'corrupt.d');
    mkdirSync(dir);
    makeRawImage(join(dir, 'x.img'), 100_000);
    execSync('gzip -n x.img', { cwd: dir });
    const gz = readFileSync(join(dir, 'x.img.gz'));
    gz.fill(0x41, 100, 400);
    writeFileSync(join(dir, 'x.img.gz'), gz);
    expect((await refused(join(dir, 'x.img.gz'), { unsigned: true, version: 'v9.9.9' })).code).toBe(
      'OTA_005',
    );
  });

  it('an unknown format', async () => {
    writeFileSync(join(work, 'image.zip'), 'PK');
    expect((await refused(join(work, 'image.zip'))).code).toBe('OTA_005');
  });

  it('members with a path, a link, a duplicate, or an extra file', async () => {
    const b = makeBundle(work, 'members', {
      signer: vendor,
      id: 'm-v6.0.0',
      version: 'v6.0.0',
      gzipTar: false,
    });
    const dir = join(work, 'members.d');
    const base = ['manifest.json', 'manifest.sig', 'gateway.img.gz'];
    mkdirSync(join(dir, 'sub'), { recursive: true });
    writeFileSync(join(dir, 'sub', 'x'), 'x');
    writeFileSync(join(dir, 'README'), 'extra');
    symlinkSync('gateway.img.gz', join(dir, 'link'));
    const cases: Array<[string, string[], RegExp]> = [
      ['path', [...base, 'sub/x'], /has a path/],
      ['dotdot', [...base, '../members.d/README'], /has a path/],
      ['link', [...base, 'link'], /SymbolicLink/],
      ['extra', [...base, 'README'], /extra member/],
    ];
    for (const [name, members, why] of cases) {
      const tar = join(work, `m-${name}.tar`);
      execFileSync('tar', ['-C', dir, '-cf', tar, ...members]);
      expect((await refused(tar)).message).toMatch(why);
    }
    const dup = join(work, 'm-dup.tar');
    execFileSync('tar', ['-C', dir, '-cf', dup, ...base]);
    execFileSync('tar', ['-C', dir, '-rf', dup, 'manifest.sig']);
    expect((await refused(dup)).message).toMatch(/appears twice/);
    expect(b.path).toBeTruthy();
  });

  it('a loose image only as unsigned with a version, audited', async () => {
    const img = join(work, 'custom.img');
    makeRawImage(img, 200_000, 'custom');
    expect((await refused(img)).code).toBe('OTA_006');
    const ok = await core.call('images.import', {
      path: img,
      unsigned: true,
      version: 'v5.1.0-custom',
    });
    expect(ok).toMatchObject({
      signature: 'unsigned',
      version: 'v5.1.0-custom',
      compression: 'none',
    });
    const db = new Database(join(core.info.data_dir, 'rigger.db'));
    expect(
      db.prepare("SELECT action FROM audit_log WHERE action = 'image.import_unsigned'").all()
        .length,
    ).toBe(1);
    db.close();
  });

  it('the disk filling up mid-import: OTA_003, the temporary file removed, no row', async () => {
    const data = join(work, 'small-disk');
    mkdirSync(join(data, 'images'), { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', join(data, 'images')]);
    const small = createCore({ dataDir: data, mode: 'test' });
    try {
      await small.call('keys.add', { path: vendor.pub });
      const big = makeBundle(work, 'big', {
        signer: vendor,
        id: 'big-v6.0.0',
        version: 'v6.0.0',
        gzipImage: false,
        size: 3_000_000,
      });
      const err = await small.call('images.import', { path: big.path }).catch((e) => e);
      expect(err).toMatchObject({ code: 'OTA_003' });
      expect(readdirSync(join(data, 'images', 'tmp'))).toEqual([]);
      expect(await small.call('images.list', {})).toEqual([]);
    } finally {
      await small.close();
      execFileSync('umount', [join(data, 'images')]);
    }
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

describe('the library quota (settings rigger.image_quota_bytes)', () => {
  it('refuses an import that would exceed it, writing nothing', async () => {
    const data = join(work, 'quota');
    const q = createCore({ dataDir: data, mode: 'test' });
    try {
      await q.call('keys.add', { path: vendor.pub });
      await q.call('settings.update', { rigger: { image_quota_bytes: 500_000 } });
      const first = makeBundle(work, 'quota1', {
        signer: vendor,
        id: 'q1-v5.0.1',
        version: 'v5.0.1',
        size: 300_000,
      });
      await q.call('images.import', { path: first.path });
      const files = () => readdirSync(join(data, 'images'), { recursive: true }).length;
      const before = files();
      const second = makeBundle(work, 'quota2', {
        signer: vendor,
        id: 'q2-v5.0.2',
        version: 'v5.0.2',
        size: 300_000,
      });
      const err = await q.call('images.import', { path: second.path }).catch((e) => e);
      expect(err).toMatchObject({
        code: 'OTA_003',
        details: { quota: 500_000, needed: statSync(second.path).size },
      });
      expect(err.message).toMatch(/quota/);
      expect(files()).toBe(before);
      expect(readdirSync(join(data, 'images', 'tmp'))).toEqual([]);
      expect((await q.call('images.list', {})).map((i) => i.id)).toEqual(['q1-v5.0.1']);
    } finally {
      await q.close();
    }
  });
});

describe('import progress', () => {
  it('reports bytes, speed and ETA while a large bundle imports', async () => {
    const big = join(work, 'progress.img');
    execFileSync('head', ['-c', String(256 * 1024 * 1024), '/dev/urandom'], {
      stdio: ['ignore', openSync(big, 'w'), 'inherit'],
    });
    const b = makeBundle(work, 'progress', {
      signer: vendor,
      id: 'progress-v5.4.0',
      version: 'v5.4.0',
      imageFile: big,
      gzipImage: false,
      gzipTar: false,
    });
    rmSync(big);
    rmSync(join(work, 'progress.d'), { recursive: true });
    const total = statSync(b.path).size;
    const seen: ProgressUpdateEvent[] = [];
    const off = core.events.on('progress_update', (e) => {
      if (e.current_operation === 'importing_image') seen.push(e);
    });
    try {
      await core.call('images.import', { path: b.path });
    } finally {
      off();
      rmSync(b.path);
    }
    await core.call('images.remove', { id: 'progress-v5.4.0' });
    const during = seen.filter((e) => (e.details.written_bytes as number) < total);
    // The first report comes with the first chunk, before any speed can be measured.
    const timed = during.slice(1);
    expect(timed.length, 'events with a speed arrive before the import ends').toBeGreaterThan(0);
    for (const e of during) {
      expect(e.details).toMatchObject({ total_bytes: total, bytes_total: seedSize(total) });
      expect(e.details.bytes_written).toMatch(/^\d+(\.\d+)?[kMGT]?B$/);
      expect(e.details.written_bytes as number).toBeGreaterThan(0);
      expect(e.progress).toBeLessThanOrEqual(100);
    }
    for (const e of timed) {
      expect(e.details.speed).toMatch(/^\d+(\.\d+)?[KMGT]?B\/s$/);
      expect(e.details.speed).not.toBe('0B/s');
      expect(e.eta).toMatch(/^\d{2}:\d{2}:\d{2}$/);
      expect(e.progress).toBeGreaterThan(0);
    }
    // Bytes only grow, and the last event is the whole file.
    const done = seen.map((e) => e.details.written_bytes as number);
    expect([...done].sort((a, b) => a - b)).toEqual(done);
    expect(seen.at(-1)).toMatchObject({
      progress: 100,
      details: { written_bytes: total, bytes_written: seedSize(total) },
    });
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
