import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core/core';
import { createFleet } from '../../../src/main/core/fleet/fleet';
import { createRolloutEngine } from '../../../src/main/core/fleet/rollouts';
import { openDatabase } from '../../../src/main/core/store/database';
import { startGatewaySim, type GatewaySim } from '../../gateway-sim';
import { addSimGateway } from '../../helpers/sim-gateway';
import { otaCore, simBundle } from '../ota/setup';

/**
 * A rollout across three test gateways with the real core doing each update. On gw-2 the new
 * image boots but never comes up healthy (its health signal is gone), so its update rolls back,
 * its wave fails, and the rollout pauses before gw-3 is touched.
 */
describe('rollout across three test gateways', () => {
  const sims: GatewaySim[] = [];
  let core: Core;
  let work: string;
  beforeAll(async () => {
    for (let i = 0; i < 3; i++)
      sims.push(await startGatewaySim({ booted: 'A', versions: { A: 'v5.0.4', B: 'v5.0.3' } }));
    const made = await otaCore(sims[0]!);
    core = made.core;
    work = made.work;
    await addSimGateway(core, sims[1]!, { name: 'gw-2' });
    await addSimGateway(core, sims[2]!, { name: 'gw-3' });
    await core.call('images.import', { path: simBundle(work, made.vendor, 'v5.1.0').path });
    // On this crane the new system boots but its health check never passes.
    rmSync(join(sims[1]!.root, 'run', 'gateway', 'healthy'));
  }, 120_000);
  afterAll(async () => {
    await core?.close();
    await Promise.all(sims.map((s) => s.stop()));
  });

  it('runs in waves and pauses on the gateway whose image boots unhealthy', async () => {
    const db = openDatabase(join(work, 'fleet'));
    const fleet = createFleet({
      db,
      telemetry: { ingest: () => ({ accepted: 0 }) },
      jobs: {
        download: (gateway, imageId) =>
          core.call('updates.download', { gateway, update_id: imageId }),
        install: (jobId) => core.call('updates.install', { job_id: jobId, reboot_delay: 0 }),
        job: (jobId) => core.call('jobs.get', { job_id: jobId }),
        pollMs: 200,
      },
      jobActive: () => false,
      latestJob: async (gateway) =>
        (await core.call('jobs.list', { gateway, limit: 1 })).jobs[0] ?? null,
      slotVersions: async (gateway) => {
        const s = await core.gateways.status(gateway, 'pinned-only');
        return { active: s.partitions.active.version, inactive: s.partitions.inactive.version };
      },
      rollback: async (gateway, reason) =>
        (await core.call('recovery.rollback', { gateway, reason, reboot_delay: 0 })).rollback_id,
      gatewayType: () => 'crane_gateway',
    });
    const { devices, rollouts: engine, ota } = fleet;
    const gateways = await core.call('gateways.list', {});
    expect(devices.syncGateways(gateways).added).toEqual(['gw', 'gw-2', 'gw-3']);
    const image = (await core.call('images.list', {})).find((i) => i.version === 'v5.1.0')!;
    fleet.firmware.add({ version: 'v5.1.0', device_type: 'crane_gateway' }, image);
    expect(() =>
      engine.create({
        device_type: 'crane_gateway',
        target_version: 'v9.9.9',
        rollout_percentage: 33,
      }),
    ).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    const r = engine.create({
      device_type: 'crane_gateway',
      target_version: 'v5.1.0',
      rollout_percentage: 33,
      groups: 2,
    });
    expect(r.waves.map((w) => w.targets.map((t) => t.device_id))).toEqual([
      ['gw'],
      ['gw-2'],
      ['gw-3'],
    ]);
    await engine.settle();

    const end = engine.get({ rollout_id: r.rollout_id });
    expect(end.status).toBe('paused');
    expect(end.paused_reason).toContain('gw-2');
    expect(end.waves.map((w) => [w.status, w.targets[0]!.status])).toEqual([
      ['done', 'success'],
      ['failed', 'failed'],
      ['waiting', 'waiting'],
    ]);
    expect(devices.get('gw').firmware_version).toBe('v5.1.0');
    const sick = end.waves[1]!.targets[0]!;
    expect(sick.job_id).not.toBeNull();
    expect(sick.reason, sick.reason ?? '').toMatch(/health|roll/i);
    const one = await core.gateways.status('gw', 'pinned-only');
    expect(one.boot?.booted_slot).toBe('B');
    expect(one.partitions.active.version).toBe('v5.1.0');
    const two = await core.gateways.status('gw-2', 'pinned-only');
    expect(two.boot?.booted_slot).toBe('A');
    expect(two.partitions.active.version).toBe('v5.0.4');
    const three = await core.gateways.status('gw-3', 'pinned-only');
    expect(three.partitions.active.version).toBe('v5.0.4');
    expect((await core.call('jobs.list', { gateway: 'gw-3' })).jobs).toEqual([]);

    // A restart picks the paused rollout up as it was; cancelling leaves gw-3 alone.
    const again = createRolloutEngine({
      db,
      port: { start: () => Promise.reject(new Error('not used')), wait: async () => 'failed' },
      findImage: () => null,
      candidates: () => [],
    });
    expect(again.get({ rollout_id: r.rollout_id }).status).toBe('paused');
    const cancelled = again.cancel({ rollout_id: r.rollout_id });
    expect(cancelled.waves[2]!.targets[0]!.status).toBe('cancelled');

    // The seed's per-device endpoints on the same gateways: status, a refused and a real rollback.
    expect(await ota.status('gw')).toMatchObject({
      update_status: 'completed',
      target_version: 'v5.1.0',
      progress: 100,
      stage: 'done',
    });
    expect(await ota.status('gw-2')).toMatchObject({ update_status: 'failed' });
    expect(await ota.status('gw-3')).toMatchObject({ update_status: 'idle', job_id: null });
    await expect(
      ota.trigger({ device_id: 'gw-3', target_version: 'v9.9.9' }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      ota.rollback({ device_id: 'gw', target_version: 'v4.0.0', reason: 'Stability issues' }),
    ).rejects.toMatchObject({ code: 'OTA_012' });
    const back = await ota.rollback({
      device_id: 'gw',
      target_version: 'v5.0.4',
      reason: 'Stability issues with v5.1.0',
    });
    expect(back.job_id).not.toBeNull();
    for (
      let i = 0;
      i < 300 && !['rolled_back', 'failed'].includes((await ota.status('gw')).update_status);
      i++
    )
      await new Promise((res) => setTimeout(res, 200));
    expect(await ota.status('gw')).toMatchObject({
      update_status: 'rolled_back',
      current_version: 'v5.0.4',
    });
    expect((await core.gateways.status('gw', 'pinned-only')).partitions.active.version).toBe(
      'v5.0.4',
    );
    expect(devices.get('gw-2').status).toBe('error');
    expect(devices.get('gw-3').firmware_version).toBeNull();
    await fleet.close();
    db.close();
  }, 300_000);
});
