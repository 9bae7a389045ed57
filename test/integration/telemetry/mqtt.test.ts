import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/main/core/store/database';
import {
  createTelemetryService,
  type TelemetryService,
} from '../../../src/main/core/telemetry/service';
import type { AlertEvent } from '../../../src/shared/telemetry';
import { startMosquitto, type Broker } from '../../helpers/mosquitto';

async function until<T>(what: string, f: () => T | undefined | false, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('telemetry from a real mosquitto broker, alerts to a real webhook receiver', () => {
  let broker: Broker;
  let tel: TelemetryService;
  let hook: Server;
  const hooks: unknown[] = [];
  const events: AlertEvent[] = [];
  let device: mqtt.MqttClient;

  beforeAll(async () => {
    broker = await startMosquitto({ rigger: 'r1gger-pw', 'crane-7': 'dev-token-7' });
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        hooks.push(JSON.parse(body));
        res.end('ok');
      });
    }).listen(0, '127.0.0.1');
    await new Promise((r) => hook.once('listening', r));
    tel = createTelemetryService({
      db: openDatabase(mkdtempSync(join(tmpdir(), 'rigger-tel-'))),
      emit: (e) => events.push(e),
      webhookRetries: 1,
    });
    await tel.connectMqtt(broker.url('rigger', 'r1gger-pw'));
    await until('Rigger subscribed', () => tel.mqttStatus()?.state === 'connected');
    device = await mqtt.connectAsync(broker.url('crane-7', 'dev-token-7'));
  });
  afterAll(async () => {
    await device?.endAsync(true);
    await tel?.close();
    hook?.close();
    await broker?.stop();
  });

  it("stores what a device publishes on devices/<id>/telemetry, in the seed's two shapes", async () => {
    await device.publishAsync('devices/crane-7/telemetry', JSON.stringify({ cpu_usage: 45.2 }));
    await device.publishAsync(
      'devices/crane-7/telemetry',
      JSON.stringify({ timestamp: new Date().toISOString(), metrics: { temperature: 41.5 } }),
    );
    await until('two samples', () => tel.mqttStatus()!.received >= 2);
    const got = tel.raw({ device_id: 'crane-7', limit: 100 });
    const all = Object.assign({}, ...got.data.map((d) => d.metrics));
    expect(all).toEqual({ cpu_usage: 45.2, temperature: 41.5 });
    expect(tel.mqttStatus()!.broker).not.toContain('r1gger-pw');
  });

  it('counts and drops malformed payloads, and the subscription survives', async () => {
    const before = tel.mqttStatus()!;
    await device.publishAsync('devices/crane-7/telemetry', 'not json');
    await device.publishAsync('devices/crane-7/telemetry', JSON.stringify({ cpu_usage: 'hot' }));
    await device.publishAsync('devices/crane-7/telemetry', JSON.stringify({ metrics: {} }));
    await device.publishAsync('devices/crane-7/telemetry', JSON.stringify({ memory_usage: 61 }));
    await until('the good one after the bad', () => tel.mqttStatus()!.received > before.received);
    expect(tel.mqttStatus()!.malformed - before.malformed).toBe(3);
    expect(
      tel.raw({ device_id: 'crane-7', metrics: ['memory_usage'], limit: 10 }).data,
    ).toHaveLength(1);
  });

  it('reconnects with growing waits when the broker goes away, and takes samples again', async () => {
    await broker.stop();
    await until('reconnecting', () => tel.mqttStatus()!.state === 'reconnecting');
    await new Promise((r) => setTimeout(r, 2500));
    expect(tel.mqttStatus()!.retry_in_ms).toBeGreaterThan(1000);
    await broker.start();
    await until('connected again', () => tel.mqttStatus()!.state === 'connected', 40_000);
    await device.endAsync(true);
    device = await mqtt.connectAsync(broker.url('crane-7', 'dev-token-7'));
    await device.publishAsync('devices/crane-7/telemetry', JSON.stringify({ disk_usage: 70 }));
    await until(
      'a sample after the outage',
      () => tel.raw({ device_id: 'crane-7', metrics: ['disk_usage'], limit: 10 }).data.length === 1,
    );
  });

  it('an alert fires only after its condition held for its duration, posts its webhook, and clears', async () => {
    const url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/alert`;
    const rule = tel.alerts.add({
      name: 'Hot cabinet',
      device_id: 'crane-7',
      condition: { metric: 'temperature', operator: '>', threshold: 60, duration_seconds: 2 },
      actions: [
        { type: 'notification', channel: 'desktop' },
        { type: 'webhook', url },
      ],
      enabled: true,
    });
    const t0 = Date.now();
    const r0 = tel.mqttStatus()!.received;
    const send = (v: number, dt: number) =>
      device.publishAsync(
        'devices/crane-7/telemetry',
        JSON.stringify({ timestamp: new Date(t0 + dt).toISOString(), metrics: { temperature: v } }),
      );
    await send(70, 0);
    await send(55, 1000); // one spike: no alert
    await send(71, 2000);
    await send(72, 3000);
    await until('samples in', () => tel.mqttStatus()!.received >= r0 + 4);
    tel.maintain();
    expect(events).toEqual([]);
    await send(73, 4100);
    await until('firing', () => events.length === 1);
    expect(events[0]).toMatchObject({
      rule_id: rule.id,
      state: 'firing',
      value: 73,
      device_id: 'crane-7',
    });
    await until('the webhook', () => hooks.length === 1);
    expect(hooks[0]).toMatchObject({ type: 'alert', state: 'firing', name: 'Hot cabinet' });
    await send(40, 5000);
    await until('cleared', () => events.length === 2);
    expect(events[1]).toMatchObject({ state: 'cleared', value: 40 });
    expect(tel.alerts.list()[0]!.state).toMatchObject({ firing: false });
  });

  it('refuses a rule on a metric nothing reports, and shows a webhook that fails', async () => {
    expect(() =>
      tel.alerts.add({
        name: 'x',
        condition: { metric: 'flux_capacitance', operator: '>', threshold: 1, duration_seconds: 0 },
        actions: [{ type: 'notification', channel: 'desktop' }],
        enabled: true,
      }),
    ).toThrow(/No device reports a metric "flux_capacitance"/);
    const rule = tel.alerts.add({
      name: 'Dead hook',
      device_id: 'crane-7',
      condition: { metric: 'cpu_usage', operator: '>=', threshold: 0, duration_seconds: 0 },
      actions: [{ type: 'webhook', url: 'http://127.0.0.1:9/nothing-listens' }],
      enabled: true,
    });
    tel.ingest('crane-7', { cpu_usage: 5 });
    tel.maintain();
    await until(
      'the failure shown',
      () => tel.alerts.list().find((r) => r.id === rule.id)!.delivery_failures.length === 1,
    );
  });
});
