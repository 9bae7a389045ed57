import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportBackup } from '../../../src/main/core/backup/export';
import { backupRoot, openBackupStore } from '../../../src/main/core/backup/store';
import { createCore } from '../../../src/main/core/core';
import { storeBackup } from '../backup-places/store-backups';
import { rigger as run } from '../../helpers/cli';
import { startS3, type S3Server } from '../../helpers/s3';

const data = mkdtempSync(join(tmpdir(), 'rigger-bpcli-'));
const out = mkdtempSync(join(tmpdir(), 'rigger-bpcli-out-'));
const rigger = (...args: string[]) => run('--data-dir', data, 'backup', ...args);
const json = (r: { out: string }) => JSON.parse(r.out);
let s3: S3Server;
const day = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();

beforeAll(async () => {
  s3 = await startS3(['backups']);
  process.env.RIGGER_STORAGE_AWS_ACCESS_KEY_ID = s3.accessKeyId;
  process.env.RIGGER_STORAGE_AWS_SECRET_ACCESS_KEY = s3.secretAccessKey;
  for (const [i, id] of ['b1', 'b2', 'b3'].entries())
    await storeBackup(data, id, { gateway: 'crane-7', created_at: day(3 - i) });
  const core = createCore({ dataDir: data, mode: 'cli' });
  await core.call('gateways.add', {
    name: 'crane-7',
    profile: 'univa-gw-pro',
    connection: {
      type: 'ssh',
      host: '127.0.0.1',
      user: 'root',
      auth: { method: 'key', key_file: join(out, 'none') },
    },
  });
  await core.close();
}, 60_000);
afterAll(async () => {
  delete process.env.RIGGER_STORAGE_AWS_ACCESS_KEY_ID;
  delete process.env.RIGGER_STORAGE_AWS_SECRET_ACCESS_KEY;
  await s3?.stop();
});

describe('rigger backup: schedules, storage, cleanup, stats, report, import, export-config', () => {
  it('sets, disables and lists a schedule; an impossible time is refused', async () => {
    const bad = await rigger('schedule', 'set', 'nightly', '--time', '25:00');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/VALIDATION_ERROR/);
    const ok = await rigger('schedule', 'set', 'nightly', '--time', '02:30', '--retention', '3');
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toMatch(/nightly: next run \d{4}-/);
    expect((await rigger('schedule', 'disable', 'nightly')).out).toMatch(/Schedule disabled/);
    const list = json(await rigger('schedule', 'list', '--json'));
    expect(list.schedules[0]).toMatchObject({ id: 'nightly', enabled: false, time: '02:30' });
  }, 60_000);

  it('configures the S3 location and copies every backup there, verified', async () => {
    const set = await rigger(
      'storage',
      'set',
      'aws',
      'enabled=true',
      'bucket=backups',
      'region=us-east-1',
      `endpoint=${s3.endpoint}`,
      'force_path_style=true',
      'credentials_ref=aws',
    );
    expect(set.code, set.err).toBe(0);
    const sync = await rigger('storage', 'sync', '--to', 'aws', '--json');
    expect(sync.code, sync.err).toBe(0);
    const results = json(sync).results as { backup_id: string; status: string }[];
    expect(results.map((r) => r.backup_id).sort()).toEqual(['b1', 'b2', 'b3']);
    expect(results.every((r) => r.status !== 'failed')).toBe(true);
    const list = await rigger('storage', 'list');
    expect(list.out).toMatch(/aws\s+cloud\s+enabled\s+connected/);
  }, 60_000);

  it('lists what the bucket holds that the laptop lost and brings it back', async () => {
    for (const ext of ['manifest', 'sig', 'refs'])
      rmSync(join(backupRoot(data), 'manifests', `b2.${ext}`), { force: true });
    const held = await rigger('storage', 'backups', 'aws');
    expect(held.code, held.err).toBe(0);
    expect(held.out).toMatch(/^b2\s+crane-7\s+full\s/m);
    const sync = await rigger('storage', 'sync', '--from', 'aws', '--to', 'local', '--json');
    expect(sync.code, sync.err).toBe(0);
    expect(json(sync).results).toContainEqual(
      expect.objectContaining({ backup_id: 'b2', status: 'synced' }),
    );
    expect((await rigger('storage', 'backups', 'aws')).out).toMatch(
      /aws holds nothing this laptop lacks/,
    );
    const unknown = await rigger(
      'storage',
      'sync',
      '--from',
      'aws',
      '--to',
      'local',
      '--backup',
      'zz',
    );
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/NOT_FOUND/);
  }, 60_000);

  it('shows a cleanup plan, asks for --yes, then removes exactly it', async () => {
    const plan = json(await rigger('cleanup', '--dry-run', '--keep-last', '2', '--json'));
    expect(plan.backups_to_remove.map((b: { id: string }) => b.id)).toEqual(['b1']);
    const ask = await rigger('cleanup', '--keep-last', '2');
    expect(ask.code).toBe(1);
    expect(ask.err).toMatch(/--yes/);
    const done = await rigger('cleanup', '--keep-last', '2', '--yes');
    expect(done.code, done.err).toBe(0);
    expect(done.out).toContain('b1');
    const stats = json(await rigger('stats', '--period', '7d', '--json'));
    expect(stats.summary.total_backups).toBe(2);
  }, 60_000);

  it('writes a PDF report and a configuration export where it is told', async () => {
    const pdf = join(out, 'r.pdf');
    const r = await rigger('report', '--format', 'pdf', '-o', pdf);
    expect(r.code, r.err).toBe(0);
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    const cfg = join(out, 'c.json');
    const e = await rigger('export-config', 'crane-7', '-o', cfg);
    expect(e.code, e.err).toBe(0);
    expect(JSON.parse(readFileSync(cfg, 'utf8'))).toMatchObject({
      export_type: 'configuration',
      gateway: { name: 'crane-7' },
    });
  }, 60_000);

  it('validates a backup file without importing it', async () => {
    const file = join(out, 'b3.tar');
    const repo = openBackupStore(data, { allowLocked: true, env: {} });
    await pipeline(exportBackup(repo, 'b3').stream, createWriteStream(file));
    const v = await rigger('import', file, '--validate-only');
    expect(v.code, v.err).toBe(0);
    expect(v.out).toMatch(/format valid, signature verified, compatible, sha256:/);
    const again = await rigger('import', file);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/already here/);
  }, 60_000);
});
