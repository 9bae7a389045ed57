import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupRoot } from '../../../../src/main/core/backup/store';
import { placesSettingsFile } from '../../../../src/main/core/compose/backup-places';
import { startS3, type S3Server } from '../../../helpers/s3';
import { startSftp, type SftpServer } from '../../../helpers/sftp';
import { storeBackup } from '../store-backups';
import { serve, until, type Loose, type Served } from './harness';

let s3: S3Server;
let sftp: SftpServer;
let app: Served;
const day = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();

beforeAll(async () => {
  s3 = await startS3(['backups']);
  sftp = await startSftp();
  process.env.RIGGER_STORAGE_AWS_ACCESS_KEY_ID = s3.accessKeyId;
  process.env.RIGGER_STORAGE_AWS_SECRET_ACCESS_KEY = s3.secretAccessKey;
  process.env.RIGGER_STORAGE_NAS_KEY_FILE = sftp.keyFile;
  app = await serve(async (dataDir) => {
    for (const [i, id] of ['b1', 'b2', 'b3'].entries())
      await storeBackup(dataDir, id, { gateway: 'crane-7', created_at: day(3 - i) });
  });
}, 60_000);
afterAll(async () => {
  await app?.close();
  await s3?.stop();
  await sftp?.stop();
  for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'NAS_KEY_FILE'])
    delete process.env[`RIGGER_STORAGE_${k}`];
});

describe("backup places on the browser-mode server: the seed's paths with real effects", () => {
  it('keeps schedules: a bad time changes nothing, a good one is saved (0600) and listed', async () => {
    const bad = await app.json('POST', '/cloud-integration/backup/schedules/update', {
      schedule_id: 'nightly',
      time: '25:00',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_ERROR');
    expect((await app.json('GET', '/cloud-integration/backup/schedules')).body).toEqual({
      schedules: [],
      total_schedules: 0,
    });

    const ok = await app.json('POST', '/cloud-integration/backup/schedules/update', {
      schedule_id: 'nightly',
      name: 'Nightly Full Backup',
      frequency: 'daily',
      time: '02:00',
      retention_count: 7,
      gateway: 'crane-7',
    });
    expect(ok.body).toMatchObject({ status: 'updated', schedule_id: 'nightly' });
    expect(Date.parse(ok.body.next_execution)).toBeGreaterThan(Date.now());
    const off = await app.json('POST', '/cloud-integration/backup/schedules/toggle', {
      schedule_id: 'nightly',
      enabled: false,
    });
    expect(off.body).toEqual({
      status: 'updated',
      schedule_id: 'nightly',
      enabled: false,
      message: 'Schedule disabled',
    });
    const list = (await app.json('GET', '/cloud-integration/backup/schedules')).body;
    expect(list.schedules[0]).toMatchObject({ id: 'nightly', enabled: false, retention_count: 7 });
    const file = placesSettingsFile(app.dataDir);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8')).schedules[0].id).toBe('nightly');
  });

  it('adds an S3 bucket and an SFTP server, syncs every backup to both and verifies', async () => {
    const upd = await app.json('POST', '/cloud-integration/backup/storage/update', {
      storage_locations: {
        aws: {
          type: 'cloud',
          name: 'S3 bucket',
          enabled: true,
          bucket: 'backups',
          region: 'us-east-1',
          endpoint: s3.endpoint,
          force_path_style: true,
          credentials_ref: 'aws',
        },
        sftp: {
          type: 'remote',
          name: 'File server',
          enabled: true,
          host: '127.0.0.1',
          port: sftp.port,
          user: 'root',
          path: join(sftp.root, 'rigger'),
          host_key_fingerprint: sftp.fingerprint,
          credentials_ref: 'nas',
        },
      },
    });
    expect(upd.body).toMatchObject({ status: 'updated', changes_applied: true });
    // Credentials are named, never stored.
    expect(readFileSync(placesSettingsFile(app.dataDir), 'utf8')).not.toContain('S3RVER');

    const storage = (await app.json('GET', '/cloud-integration/backup/storage')).body;
    const byId = Object.fromEntries(storage.storage_locations.map((l: Loose) => [l.id, l]));
    expect(byId.local.health).toBe('good');
    expect(byId.aws.health).toBe('connected');
    expect(byId.sftp.health).toBe('connected');
    expect(storage.summary.total_backups).toBe(3);

    for (const dest of ['aws', 'sftp']) {
      const sync = await app.json('POST', '/cloud-integration/backup/storage/sync', {
        source: 'local',
        destination: dest,
        backup_ids: ['all'],
        verify_after_sync: true,
      });
      expect(sync.body).toMatchObject({ status: 'sync_started', backups_to_sync: 3 });
      await until(`copies on ${dest}`, async () => {
        const s = (await app.json('GET', '/cloud-integration/backup/statistics?period=7d')).body;
        return s.storage_distribution[dest]?.count === 3;
      });
    }
    expect(existsSync(join(sftp.root, 'rigger', 'manifests', 'b1.manifest'))).toBe(true);
  });

  it('lists what a bucket holds that the laptop lost, and brings it back from there', async () => {
    // The laptop lost b3 (its files removed by hand, as a replaced disk would).
    for (const ext of ['manifest', 'sig', 'refs'])
      rmSync(join(backupRoot(app.dataDir), 'manifests', `b3.${ext}`), { force: true });
    const storage = async () => (await app.json('GET', '/cloud-integration/backup/storage')).body;
    expect((await storage()).summary.total_backups).toBe(2);
    const held = await app.json('GET', '/cloud-integration/backup/storage/backups?location=aws');
    expect(held.body).toMatchObject({
      location: 'aws',
      backups: [{ id: 'b3', gateway: 'crane-7', signature_valid: true }],
    });
    const sync = await app.json('POST', '/cloud-integration/backup/storage/sync', {
      source: 'aws',
      destination: 'local',
      backup_ids: ['all'],
      verify_after_sync: true,
    });
    expect(sync.body).toMatchObject({ status: 'sync_started', backups_to_sync: 3 });
    await until('b3 back', async () => (await storage()).summary.total_backups === 3);
    const none = await app.json('GET', '/cloud-integration/backup/storage/backups?location=aws');
    expect(none.body.backups).toEqual([]);
  });

  it('plans a cleanup, removes exactly that plan once, and refuses it a second time', async () => {
    const plan = await app.json('POST', '/cloud-integration/backup/cleanup', {
      dry_run: true,
      retention_policy: 'keep_last_2',
    });
    expect(plan.body.backups_to_remove.map((b: Loose) => b.id)).toEqual(['b1']);
    const exec = await app.json('POST', '/cloud-integration/backup/cleanup/execute', {
      cleanup_plan_id: plan.body.cleanup_plan_id,
      confirmation: true,
    });
    expect(exec.body).toMatchObject({ status: 'cleanup_started', backups_to_remove: 1 });
    await until('b1 removed', async () => {
      const s = (await app.json('GET', '/cloud-integration/backup/storage')).body;
      return s.summary.total_backups === 2;
    });
    const again = await app.json('POST', '/cloud-integration/backup/cleanup/execute', {
      cleanup_plan_id: plan.body.cleanup_plan_id,
      confirmation: true,
    });
    expect(again.status).toBeGreaterThanOrEqual(400);
  });

  it('answers statistics and a real PDF report; a REST caller cannot name where it goes', async () => {
    const stats = (await app.json('GET', '/cloud-integration/backup/statistics?period=30d')).body;
    expect(stats.period).toBe('30d');
    expect(stats.summary).toMatchObject({ total_backups: 2, successful: 2, failed: 0 });
    const pdf = await app.raw('/cloud-integration/backup/report/generate?format=pdf');
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toMatch(/backup_report_\d{8}\.pdf/);
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    const csv = await app.raw('/cloud-integration/backup/report/generate?format=csv');
    expect(await csv.text()).toContain('b2');
    const elsewhere = await app.raw(
      '/cloud-integration/backup/report/generate?format=csv&output=/tmp/x.csv',
    );
    expect(elsewhere.status).toBe(400);
    expect(existsSync('/tmp/x.csv')).toBe(false);
  });

  it('pushes storage health and schedule events on the two backup channels', async () => {
    const health = await app.listen('/ws/backup/health');
    await until('health messages', () => health.messages.length >= 3);
    const types = health.messages.map((m) => m.type);
    expect(types).toEqual(
      expect.arrayContaining(['storage_health', 'service_status', 'connectivity_status']),
    );
    const sh = health.messages.find((m) => m.type === 'storage_health');
    expect(sh.local.health).toBe('good');
    expect(sh.aws).toMatchObject({ health: 'connected' });
    expect(health.messages.find((m) => m.type === 'service_status').scheduler).toBe('running');
    health.close();

    const notes = await app.listen('/ws/backup/notifications');
    // A schedule due in three seconds (cron with seconds): its gateway cannot be reached, so
    // the run waits and says so.
    const at = new Date(Date.now() + 3000);
    await app.json('POST', '/cloud-integration/backup/schedules/update', {
      schedule_id: 'soon',
      frequency: 'cron',
      cron: `${at.getUTCSeconds()} ${at.getUTCMinutes()} ${at.getUTCHours()} * * *`,
      gateway: 'crane-7',
      type: 'config',
    });
    await until('schedule event', () => notes.messages.some((m) => m.type === 'schedule_event'));
    expect(notes.messages.find((m) => m.type === 'schedule_event')).toMatchObject({
      event: 'missed',
      schedule_id: 'soon',
      gateway: 'crane-7',
    });
    expect(notes.messages.every((m) => m.type !== 'storage_health')).toBe(true);
    notes.close();
  }, 120_000);
});
