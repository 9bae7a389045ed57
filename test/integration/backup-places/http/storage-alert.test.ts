import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { storeBackup } from '../store-backups';
import { serve, until, type Served } from './harness';

let app: Served;
beforeAll(async () => {
  app = await serve(async (dataDir) => {
    await storeBackup(dataDir, 'a1');
    await storeBackup(dataDir, 'a2');
  });
});
afterAll(async () => {
  await app?.close();
});

it('raises one storage_alert when the local store passes its cleanup threshold', async () => {
  const notes = await app.listen('/ws/backup/notifications');
  // Two backups of 64 KiB each in a 200 KB quota: past 50 %, not yet past 95 %.
  await app.json('POST', '/cloud-integration/backup/storage/update', {
    storage_locations: { local: { quota: '200 KB', cleanup_threshold: 50 } },
  });
  const health = await app.json('POST', '/api/call/backupPlaces.health', {});
  const local = health.body.messages.find(
    (m: { type: string }) => m.type === 'storage_health',
  ).local;
  expect(local.utilization).toBeGreaterThanOrEqual(50);
  expect(local.utilization).toBeLessThan(95);
  await until('storage alert', () => notes.messages.some((m) => m.type === 'storage_alert'));
  expect(notes.messages.find((m) => m.type === 'storage_alert')).toMatchObject({
    level: 'warning',
    storage: 'local',
    total: expect.stringMatching(/KB/),
  });
  // Checked again at the same level: no second alert.
  await app.json('POST', '/api/call/backupPlaces.health', {});
  expect(notes.messages.filter((m) => m.type === 'storage_alert')).toHaveLength(1);
  notes.close();
});

it('the backup channels need the token, as every other socket does', async () => {
  const url = `${app.server.url.replace('http', 'ws')}ws/backup/health`;
  const refused = await new Promise<string>((resolve) => {
    const ws = new WebSocket(url);
    ws.once('open', () => resolve('open'));
    ws.once('error', (e) => resolve(String(e.message)));
  });
  expect(refused).toMatch(/401/);
});
