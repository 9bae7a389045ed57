import { request } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  startDeviceListener,
  type DeviceListener,
} from '../../../../src/main/core/fleet/device-listener';
import { createDeviceRegistry } from '../../../../src/main/core/fleet/devices';
import { otaCheckFor } from '../../../../src/main/core/fleet/firmware-check';
import { openDatabase } from '../../../../src/main/core/store/database';
import {
  createTelemetryService,
  type TelemetryService,
} from '../../../../src/main/core/telemetry/service';
import type { Firmware } from '../../../../src/shared/fleet-ota';

const firmware: Firmware[] = [
  {
    version: '1.1.0',
    device_type: 'crane_node',
    release_notes: 'Bug fixes',
    checksum: 'sha256:' + 'a'.repeat(64),
    size: 15728640,
    mandatory: false,
    image_id: 'node-1.1.0',
    signed: true,
    created_at: '2026-11-01T00:00:00Z',
  },
];

const open: Array<{ listener: DeviceListener; telemetry: TelemetryService }> = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.listener.close();
    await o.telemetry.close();
  }
});

async function setup(rate = { capacity: 100, perSecond: 100 }) {
  const db = openDatabase(mkdtempSync(join(tmpdir(), 'rigger-devl-')));
  const clock = { now: Date.now() };
  const devices = createDeviceRegistry({ db });
  const telemetry = createTelemetryService({ db, emit: () => {} });
  const listener = await startDeviceListener({
    host: '127.0.0.1',
    port: 0,
    devices,
    ingest: (id, body) => telemetry.ingest(id, body),
    check: (d, current) =>
      otaCheckFor(firmware, d.device_type, current, (f) => `/firmware/${f.version}`),
    rate,
    maxBodyBytes: 4096,
    now: () => clock.now,
  });
  open.push({ listener, telemetry });
  const a = devices.register({
    device_id: 'node-a',
    device_type: 'crane_node',
    name: 'A',
    firmware_version: '1.0.0',
  });
  const b = devices.register({ device_id: 'node-b', device_type: 'crane_node', name: 'B' });
  const points = (id: string) =>
    telemetry
      .raw({ device_id: id, limit: 1000 })
      .data.reduce((n, p) => n + Object.keys(p.metrics).length, 0);
  return { devices, telemetry, listener, a, b, clock, points };
}

const post = (
  l: DeviceListener,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
) =>
  fetch(l.url + path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const as = (id: string, token: string) => ({ 'X-Device-ID': id, 'X-Device-Token': token });
const sample = { metrics: { cpu_usage: 45.2, temperature: 42.5 } };

describe('device listener', () => {
  it('takes telemetry from a device with its token and stores it', async () => {
    const { listener, a, points, devices } = await setup();
    const r = await post(listener, '/api/v1/telemetry', sample, as('node-a', a.auth_token));
    expect(r.status).toBe(202);
    expect(await r.json()).toMatchObject({ status: 'accepted', device_id: 'node-a', accepted: 2 });
    expect(points('node-a')).toBe(2);
    expect(devices.get('node-a').status).toBe('online');
  });

  it('401 and nothing stored on a wrong, missing or revoked token', async () => {
    const { listener, a, points, devices } = await setup();
    for (const h of [as('node-a', 'dev_wrong'), as('node-a', ''), {}, as('ghost', a.auth_token)]) {
      const r = await post(listener, '/api/v1/telemetry', sample, h);
      expect(r.status).toBe(401);
      expect(await r.json()).toMatchObject({ error: true, code: 'UNAUTHORIZED' });
    }
    devices.revoke('node-a');
    expect(
      (await post(listener, '/api/v1/telemetry', sample, as('node-a', a.auth_token))).status,
    ).toBe(401);
    expect(points('node-a')).toBe(0);
    expect(devices.get('node-a').last_seen).toBeNull();
  });

  it('403 when a device sends for another device', async () => {
    const { listener, a, points } = await setup();
    const r1 = await post(
      listener,
      '/api/v1/telemetry',
      { ...sample, device_id: 'node-b' },
      as('node-a', a.auth_token),
    );
    expect(r1.status).toBe(403);
    const r2 = await post(
      listener,
      '/api/v1/telemetry?device_id=node-b',
      sample,
      as('node-a', a.auth_token),
    );
    expect(r2.status).toBe(403);
    const r3 = await fetch(listener.url + '/api/v1/ota/check?device_id=node-b', {
      headers: as('node-a', a.auth_token),
    });
    expect(r3.status).toBe(403);
    expect(points('node-a') + points('node-b')).toBe(0);
  });

  it('400 on a bad sample, 413 on a huge body; nothing stored', async () => {
    const { listener, a, points } = await setup();
    const h = as('node-a', a.auth_token);
    expect((await post(listener, '/api/v1/telemetry', '{not json', h)).status).toBe(400);
    expect(
      (await post(listener, '/api/v1/telemetry', { metrics: { 'CPU load': 1 } }, h)).status,
    ).toBe(400);
    const future = new Date(Date.now() + 86_400_000).toISOString();
    expect(
      (await post(listener, '/api/v1/telemetry', { ...sample, timestamp: future }, h)).status,
    ).toBe(400);
    const huge = { metrics: { cpu_usage: 1 }, events: [{ type: 'x', data: 'y'.repeat(10_000) }] };
    const r = await post(listener, '/api/v1/telemetry', huge, h);
    expect(r.status).toBe(413);
    expect(points('node-a')).toBe(0);
  });

  it('429 with Retry-After when a device sends too fast, per device', async () => {
    const { listener, a, b, clock } = await setup({ capacity: 3, perSecond: 1 });
    const h = as('node-a', a.auth_token);
    for (let i = 0; i < 3; i++)
      expect((await post(listener, '/api/v1/telemetry', sample, h)).status).toBe(202);
    const r = await post(listener, '/api/v1/telemetry', sample, h);
    expect(r.status).toBe(429);
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(
      (await post(listener, '/api/v1/telemetry', sample, as('node-b', b.auth_token))).status,
    ).toBe(202);
    clock.now += 2000;
    expect((await post(listener, '/api/v1/telemetry', sample, h)).status).toBe(202);
  });

  it('auth rotates the token; the update check answers in the seed shape', async () => {
    const { listener, a } = await setup();
    const r = await post(listener, '/api/v1/devices/auth', {
      device_id: 'node-a',
      device_secret: a.auth_token,
      firmware_version: '1.0.0',
    });
    expect(r.status).toBe(200);
    const fresh = (await r.json()) as { auth_token: string; status: string };
    expect(fresh.status).toBe('online');
    expect(
      (
        await post(listener, '/api/v1/devices/auth', {
          device_id: 'node-a',
          device_secret: a.auth_token,
        })
      ).status,
    ).toBe(401);
    const old = await fetch(listener.url + '/api/v1/ota/check', {
      headers: as('node-a', a.auth_token),
    });
    expect(old.status).toBe(401);
    const c = await fetch(listener.url + '/api/v1/ota/check', {
      headers: { ...as('node-a', fresh.auth_token), 'X-Firmware-Version': '1.0.0' },
    });
    expect(c.status).toBe(200);
    expect(await c.json()).toEqual({
      update_available: true,
      current_version: '1.0.0',
      latest_version: '1.1.0',
      download_url: '/firmware/1.1.0',
      checksum: 'sha256:' + 'a'.repeat(64),
      size: 15728640,
      release_notes: 'Bug fixes',
      mandatory: false,
    });
    const none = await fetch(listener.url + '/api/v1/ota/check', {
      headers: { ...as('node-a', fresh.auth_token), 'X-Firmware-Version': '1.1.0' },
    });
    expect(await none.json()).toMatchObject({ update_available: false, latest_version: '1.1.0' });
  });

  it('answers nothing but the device endpoints: no UI, admin API or WebSocket', async () => {
    const { listener, a } = await setup();
    const h = as('node-a', a.auth_token);
    for (const path of [
      '/',
      '/index.html',
      '/api/call/gateways.list',
      '/api/v1/devices',
      '/api/v1/telemetry/node-a',
      '/api/events',
    ])
      expect((await fetch(listener.url + path, { headers: h })).status, path).toBe(404);
    expect((await post(listener, '/api/call/devices.list', {}, h)).status).toBe(404);
    expect((await fetch(listener.url + '/api/v1/telemetry', { headers: h })).status).toBe(405);
    const upgraded = await new Promise<number>((resolve, reject) => {
      const req = request(listener.url + '/api/events', {
        headers: {
          Connection: 'Upgrade',
          Upgrade: 'websocket',
          'Sec-WebSocket-Version': '13',
          'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
        },
      });
      req.on('response', (res) => resolve(res.statusCode ?? 0));
      req.on('upgrade', () => resolve(101));
      req.on('error', reject);
      req.end();
    });
    expect(upgraded).toBe(404);
  });
});
