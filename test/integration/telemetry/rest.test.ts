import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core/core';
import { startServer, type RunningServer } from '../../../src/main/core/server/server';
import { startMosquitto, type Broker } from '../../helpers/mosquitto';

/** Telemetry through the core and the seed's REST paths, fed by a real broker. */
describe("telemetry in the core: the seed's REST paths, settings that connect the broker", () => {
  let broker: Broker;
  let core: Core;
  let server: RunningServer;
  let base: string;
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
  const until = async (what: string, f: () => Promise<boolean>) => {
    for (let i = 0; i < 200; i++) {
      if (await f()) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out: ${what}`);
  };

  beforeAll(async () => {
    broker = await startMosquitto({ rigger: 'rigger-pw', 'crane-7': 'crane-pw' });
    process.env.RIGGER_MQTT_PASSWORD = 'rigger-pw';
    core = createCore({ dataDir: mkdtempSync(join(tmpdir(), 'rigger-telrest-')), mode: 'test' });
    server = await startServer({ core });
    base = server.url.replace(/\/$/, '');
  });
  afterAll(async () => {
    delete process.env.RIGGER_MQTT_PASSWORD;
    await server?.close();
    await core?.close();
    await broker?.stop();
  });

  it('says why there is no subscription, then subscribes when the settings name a broker', async () => {
    const before = await core.call('telemetry.status', {});
    expect(before).toMatchObject({
      mqtt: null,
      mqtt_note: expect.stringContaining('No MQTT broker'),
    });
    await core.call('settings.update', {
      telemetry: { mqtt_url: `mqtt://127.0.0.1:${broker.port}`, mqtt_username: 'rigger' },
    });
    await until(
      'connected',
      async () => (await core.call('telemetry.status', {})).mqtt?.state === 'connected',
    );
    // The password never lands in the settings document.
    expect(JSON.stringify(await core.call('settings.get', {}))).not.toContain('rigger-pw');
    await expect(
      core.call('settings.update', { telemetry: { mqtt_url: 'mqtt://u:secret@127.0.0.1:1883' } }),
    ).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
  });

  it('answers raw, aggregate and alert paths as the seed writes them', async () => {
    const device = await mqtt.connectAsync(`mqtt://crane-7:crane-pw@127.0.0.1:${broker.port}`);
    const t0 = Date.now() - 60_000;
    for (let i = 0; i < 5; i++)
      await device.publishAsync(
        'devices/crane-7/telemetry',
        JSON.stringify({
          timestamp: new Date(t0 + i * 1000).toISOString(),
          metrics: { cpu_usage: 40 + i },
        }),
      );
    await device.endAsync();
    await until(
      'five samples',
      async () => (await core.call('telemetry.status', {})).mqtt!.received >= 5,
    );
    const raw = await call(
      'GET',
      `/api/v1/telemetry/crane-7?from=${new Date(t0 - 1000).toISOString()}&to=${new Date().toISOString()}`,
    );
    expect(raw.status).toBe(200);
    expect((raw.body.data as unknown[]).length).toBe(5);
    const agg = await call('POST', '/api/v1/telemetry/crane-7/aggregate', {
      metrics: ['cpu_usage'],
      aggregation: 'avg',
      interval: '1h',
      from: new Date(t0 - 3_600_000).toISOString(),
      to: new Date().toISOString(),
    });
    expect(agg.status).toBe(200);
    const rows = agg.body.aggregations as Array<Record<string, number>>;
    const total = rows.reduce((n, r) => n + (r.cpu_usage_avg ?? 0), 0);
    expect(rows.length).toBeGreaterThan(0);
    expect(total).toBeGreaterThan(0);
    const rule = await call('POST', '/api/v1/telemetry/alerts', {
      name: 'High CPU Alert',
      device_id: 'crane-7',
      condition: { metric: 'cpu_usage', operator: '>', threshold: 90 },
      actions: [{ type: 'notification', channel: 'email' }],
    });
    expect(rule.status, JSON.stringify(rule.body)).toBe(200);
    expect((await call('GET', '/api/v1/telemetry/alerts')).body.alerts).toHaveLength(1);
    const gone = await call('DELETE', `/api/v1/telemetry/alerts/${rule.body.id as string}`);
    expect(gone.body).toMatchObject({ status: 'removed' });
    const bad = await call('POST', '/api/v1/telemetry/alerts', {
      name: 'x',
      condition: { metric: 'no_such_metric', operator: '>', threshold: 1 },
      actions: [{ type: 'notification' }],
    });
    expect(bad).toMatchObject({ status: 400, body: { code: 'VALIDATION_ERROR' } });
  });
});
