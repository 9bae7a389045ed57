import Database from 'better-sqlite3';
import { execFileSync, execSync } from 'node:child_process';
import {
  mkdirSync,
  readFileSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
  statSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeBundle, makeRawImage } from '../../helpers/bundles';
import { core, refused, useImportCore, vendor, work } from './import-fixture';

useImportCore();

describe('bad input: a clear error and nothing half-imported', () => {
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
});
