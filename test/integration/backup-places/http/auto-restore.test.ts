import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../../src/main/core/core';
import { startServer, type RunningServer } from '../../../../src/main/core/server/server';
import { SAFE_SIGNALS, startGatewaySim, type GatewaySim } from '../../../gateway-sim';
import { otaCore } from '../../ota/setup';

const B = '/cloud-integration/backup';
type Loose = ReturnType<typeof JSON.parse>;

describe("an import's auto_restore recovers the gateway through disaster recovery", () => {
  let sim: GatewaySim;
  let core: Core;
  let server: RunningServer;
  const url = (p: string) => `http://127.0.0.1:${server.port}${p}`;
  const auth = () => ({ Authorization: `Bearer ${server.token}` });
  const json = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(url(path), {
      method,
      headers: { ...auth(), ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: r.status, body: (await r.json()) as Loose };
  };
  const form = async (file: Buffer, fields: Record<string, string>) => {
    const fd = new FormData();
    fd.append('file', new Blob([new Uint8Array(file)]), 'crane.rigger-backup.tar');
    for (const [k, v] of Object.entries(fields)) fd.append(k, v);
    const r = await fetch(url(`${B}/import`), { method: 'POST', headers: auth(), body: fd });
    return { status: r.status, body: (await r.json()) as Loose };
  };
  const ended = async (path: string) => {
    for (let i = 0; i < 600; i++) {
      const r = await json('GET', path);
      if (['completed', 'failed', 'cancelled'].includes(String(r.body.status))) return r.body;
      await new Promise((ok) => setTimeout(ok, 100));
    }
    throw new Error(`${path} never ended`);
  };

  let file: Buffer;
  let id: string;
  let conf: string;
  let original: string;

  beforeAll(async () => {
    process.env.RIGGER_BACKUP_PASSPHRASE = 'auto restore passphrase';
    sim = await startGatewaySim({ slotSize: 8 * 1024 * 1024 });
    ({ core } = await otaCore(sim));
    server = await startServer({ core });
    conf = join(sim.root, 'data', 'config', 'crane.conf');
    original = readFileSync(conf, 'utf8');
    const created = await json('POST', `${B}/create`, { name: 'before_move', type: 'config' });
    expect((await ended(created.body.progress_url)).status).toBe('completed');
    id = created.body.backup_id;
    const dl = await fetch(url(`${B}/download/${id}`), { headers: auth() });
    file = Buffer.from(await dl.arrayBuffer());
  });
  afterAll(async () => {
    await server?.close();
    await core?.close();
    await sim?.stop();
    delete process.env.RIGGER_BACKUP_PASSPHRASE;
  });

  it('without confirmation: imports, previews against the live gateway, recovers nothing', async () => {
    await json('POST', `${B}/delete`, { backup_id: id });
    writeFileSync(conf, 'changed on site\n');
    const r = await form(file, { auto_restore: 'true' });
    expect(r.body).toMatchObject({
      status: 'import_started',
      imported: true,
      auto_restore: {
        status: 'not_started',
        gateway: 'gw',
        preview: { backup_id: id, impact_analysis: { components_affected: ['config'] } },
      },
    });
    expect(r.body.auto_restore.reason).toMatch(/confirmation: true/);
    expect(readFileSync(conf, 'utf8')).toBe('changed on site\n');
  });

  it('with confirmation: runs the recovery as a job, a backup of the gateway taken first', async () => {
    await json('POST', `${B}/delete`, { backup_id: id });
    writeFileSync(conf, 'broken on site\n');
    const r = await form(file, { auto_restore: 'true', confirmation: 'true' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      imported: true,
      auto_restore: { status: 'recovery_started', gateway: 'gw' },
    });
    const auto = r.body.auto_restore;
    expect(auto.job_id).toBe(auto.recovery_id);
    expect(auto.pre_recovery_snapshot_id).toBeTruthy();
    const done = await ended(auto.progress_url);
    expect(done).toMatchObject({ status: 'completed', integrity_check: 'passed' });
    expect(readFileSync(conf, 'utf8')).toBe(original);
    const job = await core.call('jobs.get', { job_id: auto.job_id });
    expect(job).toMatchObject({ type: 'restore', subtype: 'backup_recovery', status: 'success' });
  });

  it('a safety gate stops the recovery and the answer says so; the import stands', async () => {
    await json('POST', `${B}/delete`, { backup_id: id });
    writeFileSync(conf, 'changed again\n');
    await sim.setSafety({ ...SAFE_SIGNALS, crane_motion: { status: 'moving' } });
    const r = await form(file, { auto_restore: 'true', confirmation: 'true' });
    await sim.setSafety(SAFE_SIGNALS);
    expect(r.body.imported).toBe(true);
    expect(r.body.auto_restore).toMatchObject({ status: 'not_started', code: 'OTA_002' });
    expect(readFileSync(conf, 'utf8')).toBe('changed again\n');
  });
});
