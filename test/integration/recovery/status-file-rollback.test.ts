import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAFE_SIGNALS, type GatewaySim } from '../../gateway-sim';
import { simBundle, until } from '../ota/setup';
import { settle, useSimCores } from './setup';

const setup = useSimCores();

const records = (sim: GatewaySim) =>
  JSON.parse(readFileSync(join(sim.root, 'data', 'rigger', 'slots.json'), 'utf8')) as Record<
    string,
    { version: string; sha256: string; size: number; image_id: string }
  >;

describe('a data restore keeps the status file as it is now', () => {
  it("does not bring back the slots' record of the snapshot's day", async () => {
    const { sim, core } = await setup();
    const s = await core.call('monitor.snapshot', { gateway: 'gw', name: 'data' });
    expect((await settle(core, s.job_id)).status).toBe('success');
    await sim.writeImage('B', 'v5.0.9');
    const now = records(sim);
    const r = await core.call('recovery.restore', { gateway: 'gw', snapshot_id: s.snapshot_id });
    expect(r.target_partition).toBeNull();
    const j = await settle(core, r.restore_id);
    expect(j.status, j.error ?? '').toBe('success');
    expect(records(sim)).toEqual(now);
  });
});

describe('rollback refused before anything changes', () => {
  it('OTA_002 at once while the crane moves; no job, environment untouched', async () => {
    const { sim, core } = await setup({ versions: { A: 'v5.0.5', B: 'v5.0.4' } });
    await sim.setSafety({ ...SAFE_SIGNALS, crane_motion: { status: 'moving' } });
    const env = await sim.env();
    await expect(
      core.call('recovery.rollback', { gateway: 'gw', reason: 'while moving' }),
    ).rejects.toMatchObject({ code: 'OTA_002' });
    expect(await sim.env()).toEqual(env);
    expect((await core.call('jobs.list', {})).jobs).toHaveLength(0);
  });

  it('OTA_012 for a slot whose image Rigger saw fail to boot healthy, although recorded', async () => {
    const { sim, core, work, vendor } = await setup({ versions: { A: 'v5.0.4', B: 'v5.0.3' } });
    const img = await core.call('images.import', {
      path: simBundle(work, vendor, 'v5.9.0', { healthy: false }).path,
    });
    const { job_id } = await core.call('updates.download', { gateway: 'gw', update_id: img.id });
    await until(core, job_id, ['downloaded', 'failed']);
    await core.call('updates.install', { job_id, reboot_delay: 0 });
    const failed = await until(core, job_id, ['success', 'failed']);
    expect(failed.status).toBe('failed');
    expect(records(sim).B).toMatchObject({ version: 'v5.9.0' });
    const env = await sim.env();
    await expect(
      core.call('recovery.rollback', { gateway: 'gw', reason: 'try it' }),
    ).rejects.toMatchObject({
      code: 'OTA_012',
      details: { reason: 'failed_to_boot', slot: 'B', job_id },
    });
    expect(await sim.env()).toEqual(env);
  });

  it('OTA_012 when rauc has given the recorded slot up (status file and environment disagree)', async () => {
    const { sim, core } = await setup({ scheme: 'rauc', versions: { A: 'v5.0.5', B: 'v5.0.4' } });
    await sim.setEnv({ BOOT_B_LEFT: '0' });
    const env = await sim.env();
    await expect(
      core.call('recovery.rollback', { gateway: 'gw', reason: 'try it' }),
    ).rejects.toMatchObject({
      code: 'OTA_012',
      details: { reason: 'environment_disagrees', slot: 'B' },
    });
    const st = await core.call('recovery.status', { gateway: 'gw' });
    expect(st.rollback).toMatchObject({ available: false, to_slot: null });
    expect(st.rollback.reason).toMatch(/disagree/);
    expect(await sim.env()).toEqual(env);
  });
});
