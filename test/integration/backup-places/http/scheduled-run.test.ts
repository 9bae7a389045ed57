import { afterAll, beforeAll, expect, it } from 'vitest';
import { startGatewaySim, type GatewaySim } from '../../../gateway-sim';
import { startS3, type S3Server } from '../../../helpers/s3';
import { serve, until, type Served } from './harness';

let sim: GatewaySim;
let s3: S3Server;
let app: Served;

beforeAll(async () => {
  sim = await startGatewaySim();
  s3 = await startS3(['backups']);
  process.env.RIGGER_STORAGE_AWS_ACCESS_KEY_ID = s3.accessKeyId;
  process.env.RIGGER_STORAGE_AWS_SECRET_ACCESS_KEY = s3.secretAccessKey;
  app = await serve();
  await app.core.call('gateways.add', {
    name: 'crane-7',
    profile: sim.profilePath,
    connection: {
      type: 'ssh',
      host: sim.host,
      port: sim.port,
      user: sim.user,
      auth: { method: 'key', key_file: sim.keyFile },
    },
  });
  await app.core.call('gateways.pinHostKey', {
    name: 'crane-7',
    fingerprint: sim.hostKeyFingerprint,
  });
}, 60_000);
afterAll(async () => {
  await app?.close();
  await sim?.stop();
  await s3?.stop();
  delete process.env.RIGGER_STORAGE_AWS_ACCESS_KEY_ID;
  delete process.env.RIGGER_STORAGE_AWS_SECRET_ACCESS_KEY;
});

/** A cron expression (with seconds) for a moment a few seconds from now, in UTC. */
const soon = (ms: number) => {
  const at = new Date(Date.now() + ms);
  return `${at.getUTCSeconds()} ${at.getUTCMinutes()} ${at.getUTCHours()} * * *`;
};

it('a schedule due in a few seconds backs up the test gateway, replicates it, and says so', async () => {
  // Replication on: each new backup also goes to the S3 bucket.
  await app.json('POST', '/cloud-integration/backup/storage/update', {
    storage_locations: {
      aws: {
        enabled: true,
        bucket: 'backups',
        region: 'us-east-1',
        endpoint: s3.endpoint,
        force_path_style: true,
        credentials_ref: 'aws',
      },
    },
    policies: { replication_enabled: true },
  });
  const notes = await app.listen('/ws/backup/notifications');
  await app.json('POST', '/cloud-integration/backup/schedules/update', {
    schedule_id: 'cfg',
    name: 'Config',
    frequency: 'cron',
    cron: soon(3000),
    type: 'config',
    encryption: false,
    gateway: 'crane-7',
  });
  // An encrypted one with no backup key unlocked fails, saying why, and writes nothing.
  await app.json('POST', '/cloud-integration/backup/schedules/update', {
    schedule_id: 'sealed',
    frequency: 'cron',
    cron: soon(3000),
    type: 'config',
    encryption: true,
    gateway: 'crane-7',
  });
  await until('both runs', () =>
    ['backup_completed', 'backup_failed'].every((t) => notes.messages.some((m) => m.type === t)),
  );
  const done = notes.messages.find((m) => m.type === 'backup_completed');
  expect(done.name).toBe('Config (crane-7)');
  expect(done.backup_id).toMatch(/^cfg_crane-7_/);
  const failed = notes.messages.find((m) => m.type === 'backup_failed');
  expect(failed.error).toMatch(/backup key is not unlocked/);
  const events = notes.messages.filter((m) => m.type === 'schedule_event');
  expect(events.map((e) => `${e.schedule_id}:${e.event}`)).toEqual(
    expect.arrayContaining([
      'cfg:execution_started',
      'cfg:execution_completed',
      'sealed:execution_failed',
    ]),
  );
  notes.close();

  const storage = (await app.json('GET', '/cloud-integration/backup/storage')).body;
  expect(storage.summary.total_backups).toBe(1);
  await until('the copy in the bucket', async () => {
    const s = (await app.json('GET', '/cloud-integration/backup/statistics?period=24h')).body;
    return s.storage_distribution.aws?.count === 1;
  });
  const list = (await app.json('GET', '/cloud-integration/backup/schedules')).body;
  const cfg = list.schedules.find((s: { id: string }) => s.id === 'cfg');
  expect(Date.parse(cfg.last_execution)).toBeLessThanOrEqual(Date.now());
  expect(Date.parse(cfg.next_execution)).toBeGreaterThan(Date.now());
}, 90_000);
