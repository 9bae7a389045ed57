import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core/core';
import { startServer, type RunningServer } from '../../../src/main/core/server/server';
import { startGatewaySim, type GatewaySim } from '../../gateway-sim';
import { addSimGateway } from '../../helpers/sim-gateway';
import { otaCore, simBundle, until } from '../ota/setup';

describe('the gateway is named one way everywhere, when Rigger knows several', () => {
  let sim: GatewaySim;
  let core: Core;
  let server: RunningServer;
  let base: string;
  const get = async (path: string) => {
    const r = await fetch(`${base}${path}`, {
      headers: { Authorization: `Bearer ${server.token}` },
    });
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };
  const post = async (path: string, body: unknown) => {
    const r = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    sim = await startGatewaySim();
    const made = await otaCore(sim);
    core = made.core;
    await addSimGateway(core, sim, { name: 'gw2' });
    await core.call('images.import', { path: simBundle(made.work, made.vendor, 'v5.0.5').path });
    server = await startServer({ core });
    base = server.url.replace(/\/$/, '');
  });
  afterAll(async () => {
    await server?.close();
    await core?.close();
    await sim?.stop();
  });

  it('asks which gateway when none is named, naming those it knows, with a request id', async () => {
    const r = await get('/cloud-integration/gateway/status');
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({
      code: 'VALIDATION_ERROR',
      message: 'Name the gateway: Rigger knows gw, gw2',
      request_id: expect.stringMatching(/^req_[0-9a-f]{12}$/),
    });
  });

  it('takes gateway on settings, progress, install and cancel, and holds jobs to it', async () => {
    expect((await get('/cloud-integration/settings?gateway=gw')).status).toBe(200);
    expect((await get('/cloud-integration/settings?gateway=nope')).status).toBe(404);
    expect((await post('/cloud-integration/settings/update', { gateway: 'gw' })).status).toBe(200);
    const started = await post('/cloud-integration/updates/download', {
      gateway: 'gw',
      update_id: 'sim-v5.0.5-ok',
    });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    const jobId = started.body.job_id as string;
    await until(core, jobId, ['downloaded', 'failed']);
    const mine = await get(`/cloud-integration/updates/progress?gateway=gw&job_id=${jobId}`);
    expect(mine.body).toMatchObject({ job_id: jobId, status: 'downloaded' });
    const latest = await get('/cloud-integration/updates/progress?gateway=gw');
    expect(latest.body).toMatchObject({ job_id: jobId });
    const other = await get(`/cloud-integration/updates/progress?gateway=gw2&job_id=${jobId}`);
    expect(other).toMatchObject({ status: 404, body: { code: 'OTA_013' } });
    const wrongInstall = await post('/cloud-integration/updates/install', {
      gateway: 'gw2',
      job_id: jobId,
    });
    expect(wrongInstall.body).toMatchObject({ code: 'OTA_013' });
    const cancel = await post('/cloud-integration/jobs/cancel', { gateway: 'gw', job_id: jobId });
    expect(cancel.status, JSON.stringify(cancel.body)).toBe(200);
  });
});
