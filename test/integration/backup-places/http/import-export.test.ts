import { randomBytes } from 'node:crypto';
import {
  copyFileSync,
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { create as createTar, extract } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportBackup } from '../../../../src/main/core/backup/export';
import { backupRoot, openBackupStore } from '../../../../src/main/core/backup/store';
import { storeBackup } from '../store-backups';
import { serve, type Loose, type Served } from './harness';

let app: Served;
const work = mkdtempSync(join(tmpdir(), 'rigger-import-'));

/** A backup of a data folder's store as the single file `backup/download` gives. */
async function exported(dataDir: string, id: string): Promise<Buffer> {
  const repo = openBackupStore(dataDir, { allowLocked: true, env: {} });
  const file = join(work, `${id}-${randomBytes(3).toString('hex')}.tar`);
  await pipeline(exportBackup(repo, id).stream, createWriteStream(file));
  return readFileSync(file);
}

/** The same file with one stored object changed by one byte. */
async function tampered(tar: Buffer): Promise<Buffer> {
  const dir = mkdtempSync(join(work, 'tamper-'));
  writeFileSync(join(dir, 'in.tar'), tar);
  const out = join(dir, 'out');
  mkdirSync(out);
  await extract({ file: join(dir, 'in.tar'), cwd: out });
  const fan = readdirSync(join(out, 'objects'))[0]!;
  const obj = join(out, 'objects', fan, readdirSync(join(out, 'objects', fan))[0]!);
  const bytes = readFileSync(obj);
  bytes[bytes.length - 1]! ^= 1;
  writeFileSync(obj, bytes);
  const members = ['manifests', 'objects'].concat(
    readdirSync(out).filter((f) => f.endsWith('.pub')),
  );
  await createTar({ file: join(dir, 'bad.tar'), cwd: out, portable: true }, members);
  return readFileSync(join(dir, 'bad.tar'));
}

beforeAll(async () => {
  app = await serve((dataDir) => storeBackup(dataDir, 'x1', { gateway: 'crane-7' }));
});
afterAll(async () => {
  await app?.close();
});

describe('importing a backup file and exporting a configuration', () => {
  it('validates a backup file of this site, imports it only when it is not here yet', async () => {
    const file = await exported(app.dataDir, 'x1');
    const v = await app.form(
      '/cloud-integration/backup/import/validate',
      file,
      'x1.rigger-backup.tar',
    );
    expect(v.status).toBe(200);
    expect(v.body).toMatchObject({
      status: 'validated',
      validation: {
        file_format: 'valid',
        signature: 'verified',
        version_compatibility: 'compatible',
        type: 'full',
        gateway_id: 'GW-1',
        components: ['data'],
      },
    });
    expect(v.body.validation.checksum).toMatch(/^sha256:[0-9a-f]{64}$/);

    const dup = await app.form('/cloud-integration/backup/import', file, 'x1.rigger-backup.tar');
    expect(dup.body).toMatchObject({ status: 'rejected', imported: false });
    expect(dup.body.reason).toContain('already here');

    await openBackupStore(app.dataDir, { allowLocked: true, env: {} }).delete('x1');
    const imp = await app.form('/cloud-integration/backup/import', file, 'x1.rigger-backup.tar', {
      auto_restore: 'false',
    });
    expect(imp.body).toMatchObject({
      status: 'import_started',
      imported: true,
      filename: 'x1.rigger-backup.tar',
      validation_results: { format: 'valid', signature: 'verified', checksum: 'valid' },
      backup_info: { id: 'x1', type: 'full' },
    });
    const storage = (await app.json('GET', '/cloud-integration/backup/storage')).body;
    expect(storage.summary.total_backups).toBe(1);
    const repo = openBackupStore(app.dataDir, { allowLocked: true, env: {} });
    expect(repo.load('x1').signature_valid).toBe(true);
  });

  it('imports nothing from a tampered, truncated or foreign file, or from an untrusted site', async () => {
    const good = await exported(app.dataDir, 'x1');
    const bad = await app.form(
      '/cloud-integration/backup/import/validate',
      await tampered(good),
      'x.tar',
    );
    expect(bad.body.warnings.join(' ')).toMatch(/SHA-256|bytes/);
    const badImport = await app.form(
      '/cloud-integration/backup/import',
      await tampered(good),
      'x.tar',
    );
    expect(badImport.body).toMatchObject({
      imported: false,
      validation_results: { checksum: 'invalid' },
    });

    for (const junk of [good.subarray(0, good.length >> 1), randomBytes(4096)]) {
      const r = await app.form('/cloud-integration/backup/import', junk, 'junk.tar');
      expect(r.status).toBe(400);
      expect(r.body.code).toBe('VALIDATION_ERROR');
    }

    const other = mkdtempSync(join(work, 'site-b-'));
    await storeBackup(other, 'y1', { gateway: 'crane-9' });
    const foreign = await exported(other, 'y1');
    const refused = await app.form('/cloud-integration/backup/import', foreign, 'y1.tar');
    expect(refused.body).toMatchObject({
      status: 'rejected',
      imported: false,
      validation_results: { signature: 'untrusted' },
    });
    expect(
      (await app.json('GET', '/cloud-integration/backup/storage')).body.summary.total_backups,
    ).toBe(1);

    // Once this site trusts site B's key, its backup verifies.
    const trusted = join(app.dataDir, 'backup-places', 'trusted-sites');
    mkdirSync(trusted, { recursive: true });
    copyFileSync(join(backupRoot(other), 'site-signing.pub'), join(trusted, 'site-b.pub'));
    const ok = await app.form('/cloud-integration/backup/import/validate', foreign, 'y1.tar');
    expect(ok.body.validation.signature).toBe('verified');
  });

  it("exports a gateway's configuration as an attachment, its password left out and said so", async () => {
    await app.core.call('gateways.add', {
      name: 'crane-7',
      profile: 'univa-gw-pro',
      connection: {
        type: 'ssh',
        host: '127.0.0.1',
        port: 22,
        user: 'root',
        auth: { method: 'key', key_file: join(work, 'no-key') },
      },
    });
    const r = await app.raw('/cloud-integration/backup/export/config?gateway=crane-7');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-disposition')).toMatch(/config_export_\d{8}\.json/);
    const body = (await r.json()) as Loose;
    expect(body).toMatchObject({
      export_type: 'configuration',
      gateway: { id: 'GW-1', name: 'crane-7' },
      settings: { profile: 'univa-gw-pro', model: 'Univa-GW-Pro' },
      metadata: { secrets_omitted: [] },
    });
    expect(body.modules.data.from_backup).toBe('x1');
    const there = await app.raw(
      '/cloud-integration/backup/export/config?gateway=crane-7&output=/tmp/c.json',
    );
    expect(there.status).toBe(400);
  });
});
