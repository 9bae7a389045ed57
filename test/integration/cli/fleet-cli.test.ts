import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewaySim, type GatewaySim } from '../../gateway-sim';
import { rigger as run } from '../../helpers/cli';
import { otaCore, simBundle } from '../ota/setup';
import { freePort } from '../../helpers/ports';

const MODEL = 'Univa-GW-Pro';

/**
 * The fleet commands on a data folder a core prepared (a test gateway, a signed v5.1.0 in the
 * library, samples a device posted with its token): each `rigger` run is a process of its own.
 */
describe('rigger devices, firmware, telemetry, alerts and rollout', () => {
  let sim: GatewaySim;
  let data: string;
  let bundlePath: string;
  const rigger = (...args: string[]) => run('--data-dir', data, ...args);
  const json = async (...args: string[]): Promise<unknown> => {
    const r = await rigger(...args, '--json');
    expect(r.code, r.err).toBe(0);
    return JSON.parse(r.out) as unknown;
  };
  const has = (id: string) => expect.objectContaining({ device_id: id });

  beforeAll(async () => {
    sim = await startGatewaySim({ booted: 'A', versions: { A: 'v5.0.4', B: 'v5.0.3' } });
    const { core, work, vendor } = await otaCore(sim);
    data = join(work, 'data');
    bundlePath = simBundle(work, vendor, 'v5.1.0').path;
    await core.close();
  }, 120_000);
  afterAll(async () => {
    await sim?.stop();
  });

  it('registers, shows, updates and decommissions a device; its samples read back', async () => {
    const reg = (await json(
      'devices',
      'register',
      'node-1',
      '--type',
      'crane_node',
      '--meta',
      'location=crane-7',
    )) as { auth_token: string };
    expect(reg).toMatchObject({ device_id: 'node-1', status: 'registered' });
    const bad = await rigger('devices', 'register', 'bad id', '--type', 'crane_node', '--json');
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.err)).toMatchObject({ code: 'VALIDATION_ERROR' });
    expect(await json('devices', 'list')).toEqual({
      devices: [has('gw'), has('node-1')],
      total: 2,
    });
    expect(await json('devices', 'list', '--type', 'crane_node')).toMatchObject({ total: 1 });
    expect(
      await json('devices', 'update', 'node-1', '--name', 'Hoist node', '--meta', 'location=null'),
    ).toMatchObject({ name: 'Hoist node', metadata: {} });
    expect(await json('devices', 'show', 'node-1')).toMatchObject({ device_type: 'crane_node' });

    // The device posts three samples to the listener of a core on the same folder.
    const { createCore } = await import('../../../src/main/core/core');
    const core = createCore({ dataDir: data, mode: 'test' });
    const l = await core.fleet.listen(`127.0.0.1:${await freePort()}`);
    const t0 = Date.now() - 30 * 60_000;
    for (let i = 0; i < 3; i++) {
      const r = await fetch(`${l.url.replace(/\/$/, '')}/api/v1/telemetry`, {
        method: 'POST',
        headers: {
          'X-Device-ID': 'node-1',
          'X-Device-Token': reg.auth_token,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({
          timestamp: new Date(t0 + i * 60_000).toISOString(),
          metrics: { temperature: 40 + i },
        }),
      });
      expect(r.status).toBeLessThan(300);
    }
    for (let i = 0; i < 100; i++) {
      if ((await core.call('telemetry.query', { device_id: 'node-1' })).data.length === 3) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await core.close();
    const raw = (await json('telemetry', 'node-1', '--from', '2h')) as { data: unknown[] };
    expect(raw.data).toHaveLength(3);
    const agg = (await json(
      'telemetry',
      'node-1',
      '--from',
      '2h',
      '--aggregate',
      'avg,max',
      '--interval',
      '1d',
    )) as { aggregations: Array<Record<string, unknown>> };
    expect(agg.aggregations).toEqual([
      expect.objectContaining({ temperature_avg: 41, temperature_max: 42 }),
    ]);
    const human = await rigger('telemetry', 'node-1', '--from', '2h');
    expect(human.out).toContain('temperature=42');

    const alert = (await json(
      'alerts',
      'add',
      '--name',
      'Hot node',
      '--metric',
      'temperature',
      '--operator',
      '>',
      '--threshold',
      '80',
      '--duration',
      '60',
      '--device',
      'node-1',
    )) as { id: string };
    expect(alert).toMatchObject({ condition: { metric: 'temperature', threshold: 80 } });
    expect(await json('alerts', 'list')).toEqual({ alerts: [expect.objectContaining(alert)] });
    expect(await json('alerts', 'remove', alert.id)).toEqual({ status: 'removed', id: alert.id });

    expect(await json('devices', 'decommission', 'node-1')).toMatchObject({
      status: 'decommissioned',
    });
  }, 120_000);

  it('adds firmware and rolls it out in waves from the command line', async () => {
    const fw = await json(
      'firmware',
      'add',
      '--version',
      'v5.1.0',
      '--type',
      MODEL,
      '--file',
      bundlePath,
      '--notes',
      'Bug fixes',
    );
    expect(fw).toMatchObject({ version: 'v5.1.0', device_type: MODEL, signed: true });
    expect(await json('firmware', 'list', '--type', MODEL)).toEqual({
      firmware: [expect.objectContaining({ version: 'v5.1.0' })],
    });
    const refused = await rigger(
      'rollout',
      'create',
      '--type',
      MODEL,
      '--target',
      'v5.1.0',
      '--percentage',
      '150',
      '--json',
    );
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.err)).toMatchObject({ code: 'VALIDATION_ERROR' });

    // Scheduled for later: nothing runs; it pauses and cancels as asked.
    const later = (await json(
      'rollout',
      'create',
      '--type',
      MODEL,
      '--target',
      'v5.1.0',
      '--percentage',
      '100',
      '--schedule',
      new Date(Date.now() + 86_400_000).toISOString(),
    )) as { rollout_id: string };
    expect(later).toMatchObject({ status: 'scheduled', waves: [{ targets: [has('gw')] }] });
    expect(await json('rollout', 'pause', later.rollout_id)).toMatchObject({ status: 'paused' });
    expect(await json('rollout', 'cancel', later.rollout_id)).toMatchObject({
      status: 'cancelled',
    });
    const text = await rigger('rollout', 'status', later.rollout_id);
    expect(text.out).toMatch(/wave 1: cancelled/);

    const now = await json(
      'rollout',
      'create',
      '--type',
      MODEL,
      '--target',
      'v5.1.0',
      '--percentage',
      '100',
      '--wait',
    );
    expect(now).toMatchObject({
      status: 'finished',
      waves: [{ status: 'done', targets: [{ device_id: 'gw', status: 'success' }] }],
    });
    expect(await json('devices', 'show', 'gw')).toMatchObject({ firmware_version: 'v5.1.0' });
    expect(await json('rollout', 'status')).toMatchObject({
      rollouts: expect.arrayContaining([expect.objectContaining({ status: 'finished' })]),
    });
  }, 240_000);
});
