import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Core } from '../../../src/main/core/core';
import { startServer, type RunningServer } from '../../../src/main/core/server/server';
import { backupUpdateSchema, type BackupUpdate } from '../../../src/shared/backup';
import { startGatewaySim, type GatewaySim } from '../../gateway-sim';
import { otaCore } from '../ota/setup';

const B = '/cloud-integration/backup';

describe('the seed backup paths over HTTP and /ws/backup/updates', () => {
  let sim: GatewaySim;
  let core: Core;
  let server: RunningServer;
  const messages: BackupUpdate[] = [];
  let ws: WebSocket;

  const http = async (method: string, path: string, body?: unknown, token = server.token) => {
    const res = await fetch(`http://127.0.0.1:${server.port}${path}`, {
      method,
      headers: {
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...(body ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, res };
  };
  const json = async (method: string, path: string, body?: unknown) => {
    const { status, res } = await http(method, path, body);
    return { status, body: (await res.json()) as Record<string, unknown> & { [k: string]: never } };
  };
  const until = async (path: string) => {
    for (let i = 0; i < 600; i++) {
      const r = await json('GET', path);
      if (['completed', 'failed', 'cancelled'].includes(String(r.body.status))) return r.body;
      await new Promise((ok) => setTimeout(ok, 100));
    }
    throw new Error(`${path} never ended`);
  };

  beforeAll(async () => {
    process.env.RIGGER_BACKUP_PASSPHRASE = 'http test passphrase';
    sim = await startGatewaySim({ slotSize: 8 * 1024 * 1024 });
    ({ core } = await otaCore(sim));
    server = await startServer({ core });
    ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws/backup/updates?token=${server.token}`);
    ws.on('message', (m) => messages.push(JSON.parse(String(m)) as BackupUpdate));
    await new Promise((r) => ws.on('open', r));
  });
  afterAll(async () => {
    ws?.close();
    await server?.close();
    await core?.close();
    await sim?.stop();
    delete process.env.RIGGER_BACKUP_PASSPHRASE;
  });

  it('creates, lists, downloads, previews and recovers, with progress on the socket', async () => {
    const conf = join(sim.root, 'data', 'config', 'crane.conf');
    const original = readFileSync(conf, 'utf8');
    const created = await json('POST', `${B}/create`, { name: 'http_backup', type: 'config' });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ status: 'started' });
    const progress = await until(String(created.body.progress_url));
    expect(progress).toMatchObject({
      status: 'completed',
      progress: 100,
      operation: 'backup_create',
    });
    const id = String(created.body.backup_id);

    const list = await json('GET', `${B}/list?type=config&limit=5`);
    expect(list.body.total).toBe(1);
    const details = await json('GET', `${B}/details/${id}`);
    expect(details.body).toMatchObject({ id, encryption: { enabled: true, algorithm: 'AES-256' } });

    expect((await http('GET', `${B}/download/${id}`, undefined, '')).status).toBe(401);
    const dl = await http('GET', `${B}/download/${id}`);
    expect(dl.status).toBe(200);
    expect(dl.res.headers.get('content-disposition')).toContain(`${id}.rigger-backup.tar`);
    const file = join(mkdtempSync(join(tmpdir(), 'rigger-dl-')), 'backup.tar');
    writeFileSync(file, Buffer.from(await dl.res.arrayBuffer()));
    const members = execFileSync('tar', ['tf', file], { encoding: 'utf8' }).split('\n');
    expect(members).toContain(`manifests/${id}.manifest`);
    expect(members).toContain('keys.json');
    expect((await http('GET', `${B}/download/nope`)).status).toBe(404);

    writeFileSync(conf, 'broken by a test\n');
    const preview = await json('GET', `${B}/recovery/preview/${id}`);
    expect(preview.body).toMatchObject({
      backup_id: id,
      impact_analysis: { components_affected: ['config'], restart_required: false },
    });
    const refused = await json('POST', `${B}/recovery/initiate`, { backup_id: id });
    expect(refused.status).toBe(400);
    expect(readFileSync(conf, 'utf8')).toBe('broken by a test\n');
    const rec = await json('POST', `${B}/recovery/initiate`, { backup_id: id, confirmation: true });
    expect(rec.body).toMatchObject({ status: 'recovery_started' });
    const ended = await until(String(rec.body.progress_url));
    expect(ended).toMatchObject({ status: 'completed', integrity_check: 'passed' });
    expect(readFileSync(conf, 'utf8')).toBe(original);

    const cancel = await json('POST', `${B}/operation/cancel`, { job_id: rec.body.recovery_id });
    expect(cancel.body).toMatchObject({ code: 'OTA_013' });

    for (const m of messages) expect(backupUpdateSchema.parse(m)).toEqual(m);
    expect(messages.some((m) => m.type === 'backup_progress' && m.backup_id === id)).toBe(true);
    expect(
      messages.some((m) => m.type === 'restore_progress' && m.restore_id === rec.body.recovery_id),
    ).toBe(true);
  });
});
