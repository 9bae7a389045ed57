import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core/core';
import { SAFE_SIGNALS, startGatewaySim, type GatewaySim } from '../../gateway-sim';
import { otaCore, simBundle, until } from '../ota/setup';
import { settle, treeHashes } from './setup';

const cores: Core[] = [];
const sims: GatewaySim[] = [];
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.close()));
  await Promise.all(sims.splice(0).map((s) => s.stop()));
});

async function setup(opts: Parameters<typeof startGatewaySim>[0] = {}) {
  const sim = await startGatewaySim({ scheme: 'bootcount', booted: 'A', ...opts });
  sims.push(sim);
  const { core, work, vendor } = await otaCore(sim);
  cores.push(core);
  return { sim, core, work, vendor };
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const slotFile = (sim: GatewaySim, s: 'A' | 'B') =>
  join(sim.root, 'dev', s === 'A' ? 'mmcblk0p2' : 'mmcblk0p3');
const records = (sim: GatewaySim) =>
  JSON.parse(readFileSync(join(sim.root, 'data', 'rigger', 'slots.json'), 'utf8')) as Record<
    string,
    { version: string; sha256: string; size: number; image_id: string }
  >;

async function slotSnapshot(core: Core) {
  const s = await core.call('monitor.snapshot', {
    gateway: 'gw',
    name: 'with-slot',
    include_slot: true,
  });
  expect(s.steps).toContain('Creating system image');
  const j = await settle(core, s.job_id);
  expect(j.status, j.error ?? '').toBe('success');
  return s.snapshot_id;
}

describe("a snapshot with the booted slot's image", () => {
  it('is restored into the inactive slot through the verified writer, with the data paths, and a rollback then boots it', async () => {
    const { sim, core } = await setup({ versions: { A: 'v5.0.4', B: 'v5.0.3' } });
    const aRecord = records(sim).A!;
    const id = await slotSnapshot(core);
    const entry = (await core.call('snapshots.list', { gateway: 'gw' })).snapshots[0]!;
    expect(entry).toMatchObject({
      id,
      bootable: true,
      partition: 'A',
      slot_image: { slot: 'A', version: 'v5.0.4', sha256: aRecord.sha256 },
    });
    const dataBefore = treeHashes(sim.root, ['data/config', 'etc']);

    // Slot B gets another image, the configuration changes.
    await sim.writeImage('B', 'v5.0.9');
    writeFileSync(join(sim.root, 'data', 'config', 'crane.conf'), 'crane_id=WRONG\n');

    // The booted slot is never a target.
    const envBefore = await sim.env();
    await expect(
      core.call('recovery.restore', { gateway: 'gw', snapshot_id: id, target_partition: 'A' }),
    ).rejects.toMatchObject({ code: 'OTA_008' });
    expect(await sim.env()).toEqual(envBefore);

    const r = await core.call('recovery.restore', { gateway: 'gw', snapshot_id: id });
    expect(r).toMatchObject({ status: 'restoring', target_partition: 'B' });
    const j = await settle(core, r.restore_id);
    expect(j.status, j.error ?? '').toBe('success');

    // Slot B holds exactly slot A's image, recorded as it; it is not selected.
    const b = readFileSync(slotFile(sim, 'B')).subarray(0, aRecord.size);
    expect(sha(b)).toBe(aRecord.sha256);
    const recs = records(sim);
    expect(recs.B).toMatchObject({
      version: 'v5.0.4',
      sha256: aRecord.sha256,
      image_id: `snapshot:${id}`,
    });
    expect(recs.A).toMatchObject({ version: 'v5.0.4' });
    expect((await core.gateways.status('gw', 'pinned-only')).boot?.booted_slot).toBe('A');
    expect(treeHashes(sim.root, ['data/config', 'etc'])).toEqual(dataBefore);
    const steps = core.jobs.store.steps(r.restore_id).map((s) => s.name);
    expect(steps.indexOf('disable_target')).toBeLessThan(steps.indexOf('write_slot'));
    expect(steps.indexOf('write_slot')).toBeLessThan(steps.indexOf('verify_slot'));

    // The restored slot is known good: a rollback boots it.
    const st = await core.call('recovery.status', { gateway: 'gw' });
    expect(st.rollback).toMatchObject({ available: true, to_slot: 'B', to_version: 'v5.0.4' });
    const rb = await core.call('recovery.rollback', {
      gateway: 'gw',
      reason: 'boot the restored image',
      reboot_delay: 0,
    });
    const done = await settle(core, rb.rollback_id);
    expect(done.status, done.error ?? '').toBe('success');
    const after = await core.gateways.status('gw', 'pinned-only');
    expect(after.boot?.booted_slot).toBe('B');
    expect(after.partitions.active.version).toBe('v5.0.4');
  });

  it('a damaged slot image is refused before anything is written', async () => {
    const { sim, core } = await setup();
    const id = await slotSnapshot(core);
    const file = join(core.info.data_dir, 'snapshots', `${id}.slot-A.img.gz`);
    const bytes = readFileSync(file);
    const at = Math.floor(bytes.length / 2);
    bytes.writeUInt8(bytes.readUInt8(at) ^ 0xff, at);
    writeFileSync(file, bytes);
    const env = await sim.env();
    const b = sha(readFileSync(slotFile(sim, 'B')));
    const recs = records(sim);
    await expect(
      core.call('recovery.restore', { gateway: 'gw', snapshot_id: id }),
    ).rejects.toMatchObject({ code: 'OTA_007', details: { file: `${id}.slot-A.img.gz` } });
    expect(await sim.env()).toEqual(env);
    expect(sha(readFileSync(slotFile(sim, 'B')))).toBe(b);
    expect(records(sim)).toEqual(recs);
    expect((await core.call('jobs.list', {})).jobs.map((j) => j.type)).toEqual(['snapshot']);
  });

  it('is refused when the booted slot has no record to prove its image against', async () => {
    const { sim, core } = await setup();
    const recs = records(sim);
    delete recs.A;
    writeFileSync(join(sim.root, 'data', 'rigger', 'slots.json'), JSON.stringify(recs));
    const s = await core.call('monitor.snapshot', { gateway: 'gw', include_slot: true });
    const j = await settle(core, s.job_id);
    expect(j.status).toBe('failed');
    expect(j.error).toMatch(/not recorded/);
    expect((await core.call('snapshots.list', {})).snapshots).toHaveLength(0);
  });
});

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
