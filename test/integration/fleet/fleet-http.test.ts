import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core/core';
import { deviceListSchema } from '../../../src/shared/devices';
import { firmwareListSchema, rolloutSchema } from '../../../src/shared/fleet-ota';
import { startServer, type RunningServer } from '../../../src/main/core/server/server';
import { startGatewaySim, type GatewaySim } from '../../gateway-sim';
import { otaCore, simBundle } from '../ota/setup';
import { freePort } from '../../helpers/ports';

const run = promisify(execFile);
const MODEL = 'Univa-GW-Pro';

/**
 * The fleet wired into the real core and served on the real server: the seed's device and OTA
 * paths over HTTP, a rollout that updates the test gateway, and the device listener beside it.
 */
describe("the fleet on the core's server", () => {
  let sim: GatewaySim;
  let core: Core;
  let server: RunningServer;
  let base: string;
  let work: string;
  let vendor: { key: string };
  const call = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(`${base}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${server.token}`,
        ...(body ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };
  const until = async (what: string, f: () => Promise<boolean>, tries = 600) => {
    for (let i = 0; i < tries; i++) {
      if (await f()) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`timed out: ${what}`);
  };

  beforeAll(async () => {
    sim = await startGatewaySim({ booted: 'A', versions: { A: 'v5.0.4', B: 'v5.0.3' } });
    const made = await otaCore(sim);
    ({ core, work, vendor } = made);
    server = await startServer({ core });
    base = server.url.replace(/\/$/, '');
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await core?.close();
    await sim?.stop();
  });

  it('lists the gateway as a device and registers, updates and decommissions another', async () => {
    const list = await call('GET', `/api/v1/devices?type=${MODEL}`);
    expect(list.status).toBe(200);
    expect(deviceListSchema.parse(list.body).devices).toEqual([
      expect.objectContaining({ device_id: 'gw', device_type: MODEL, source: 'gateway' }),
    ]);
    // A status read of the gateway tells its device what it runs.
    await core.call('gateways.status', { name: 'gw' });
    expect((await call('GET', '/api/v1/devices/gw')).body).toMatchObject({
      firmware_version: 'v5.0.4',
      status: 'online',
    });
    const reg = await call('POST', '/api/v1/devices', {
      device_id: 'crane-7-node',
      device_type: 'crane_node',
      name: 'Hoist node',
      metadata: { location: 'crane-7' },
    });
    expect(reg.status).toBe(200);
    expect(reg.body).toMatchObject({ device_id: 'crane-7-node', status: 'registered' });
    expect(reg.body.auth_token).toEqual(expect.any(String));
    const again = await call('POST', '/api/v1/devices', {
      device_id: 'crane-7-node',
      device_type: 'crane_node',
      name: 'Hoist node',
    });
    expect(again.status).toBe(409);
    const patched = await call('PATCH', '/api/v1/devices/crane-7-node', {
      name: 'Trolley node',
      metadata: { location: 'crane-8' },
    });
    expect(patched.body).toMatchObject({ name: 'Trolley node', metadata: { location: 'crane-8' } });
    expect((await call('PATCH', '/api/v1/devices/crane-7-node', {})).status).toBe(400);
    expect((await call('GET', '/api/v1/devices/nobody')).status).toBe(404);
    const got = await call('GET', '/api/v1/devices/crane-7-node');
    expect(got.body).toMatchObject({ device_type: 'crane_node', name: 'Trolley node' });

    // The device posts telemetry to the device listener with its token; the admin API reads it.
    const port = await freePort();
    const listener = await core.fleet.listen(`127.0.0.1:${port}`);
    const post = (token: string) =>
      fetch(`${listener.url.replace(/\/$/, '')}/api/v1/telemetry`, {
        method: 'POST',
        headers: {
          'X-Device-ID': 'crane-7-node',
          'X-Device-Token': token,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({ timestamp: new Date().toISOString(), metrics: { cpu_usage: 45.2 } }),
      });
    expect((await post('wrong')).status).toBe(401);
    expect((await post(reg.body.auth_token as string)).status).toBeLessThan(300);
    await until('the sample is stored', async () => {
      const t = await call('GET', '/api/v1/telemetry/crane-7-node');
      return (t.body.data as unknown[]).length === 1;
    });
    const admin = await fetch(`${listener.url.replace(/\/$/, '')}/api/v1/devices`);
    expect(admin.status).toBe(404);

    const gone = await call('POST', '/api/v1/devices/crane-7-node/decommission');
    expect(gone.body.status).toBe('decommissioned');
    expect((await post(reg.body.auth_token as string)).status).toBe(401);
  });

  it('takes firmware as the seed uploads it and rolls it out to the gateway', async () => {
    const bundle = simBundle(work, vendor, 'v5.1.0');
    const { stdout } = await run('curl', [
      '-s',
      '-H',
      `Authorization: Bearer ${server.token}`,
      '-F',
      `file=@${bundle.path}`,
      '-F',
      'version=v5.1.0',
      '-F',
      `device_type=${MODEL}`,
      '-F',
      'release_notes=Bug fixes',
      `${base}/api/v1/ota/firmware`,
    ]);
    expect(JSON.parse(stdout)).toMatchObject({
      version: 'v5.1.0',
      device_type: MODEL,
      signed: true,
    });
    const fw = await call('GET', `/api/v1/ota/firmware?device_type=${MODEL}`);
    expect(firmwareListSchema.parse(fw.body).firmware.map((f) => f.version)).toEqual(['v5.1.0']);
    const check = await call('GET', '/api/v1/ota/check?device_id=gw&firmware_version=v5.0.4');
    expect(check.body).toMatchObject({ update_available: true, latest_version: 'v5.1.0' });

    const batch = (b: Record<string, unknown>) => call('POST', '/api/v1/ota/batch-update', b);
    const base_ = { device_type: MODEL, target_version: 'v5.1.0' };
    expect(
      (await batch({ ...base_, target_version: 'v9.9.9', rollout_percentage: 10 })).status,
    ).toBe(404);
    expect((await batch({ ...base_, rollout_percentage: 150 })).status).toBe(400);
    expect((await batch({ ...base_, rollout_percentage: 0 })).status).toBe(400);
    const seen: string[] = [];
    const off = core.events.on('rollout_changed', (e) => seen.push(e.status));
    const started = await batch({ ...base_, rollout_percentage: 100 });
    expect(started.status).toBe(200);
    const id = rolloutSchema.parse(started.body).rollout_id;
    expect(rolloutSchema.parse(started.body).waves[0]!.targets[0]).toMatchObject({
      device_id: 'gw',
    });
    await until('the rollout ends', async () => {
      const r = await call('GET', `/api/v1/ota/rollouts/${id}`);
      return ['finished', 'paused', 'cancelled'].includes(r.body.status as string);
    });
    const end = rolloutSchema.parse((await call('GET', `/api/v1/ota/rollouts/${id}`)).body);
    expect(end.status).toBe('finished');
    expect(end.waves[0]!.targets[0]!.status).toBe('success');
    off();
    expect(seen.at(-1)).toBe('finished');
    const listed = await call('GET', '/api/v1/ota/rollouts');
    expect(
      (listed.body.rollouts as Array<{ rollout_id: string }>).map((r) => r.rollout_id),
    ).toContain(id);
    expect((await call('POST', `/api/v1/ota/rollouts/${id}/pause`)).status).toBe(400);
    const status = await call('GET', '/api/v1/ota/devices/gw/status');
    expect(status.body).toMatchObject({ update_status: 'completed', target_version: 'v5.1.0' });
    expect((await call('GET', '/api/v1/devices/gw')).body.firmware_version).toBe('v5.1.0');
    const s = await core.gateways.status('gw', 'pinned-only');
    expect(s.partitions.active.version).toBe('v5.1.0');
  }, 240_000);

  it('decommissions the device of a gateway that is removed', async () => {
    await core.call('gateways.remove', { name: 'gw' });
    expect((await call('GET', '/api/v1/devices/gw')).body.status).toBe('decommissioned');
  });
});
