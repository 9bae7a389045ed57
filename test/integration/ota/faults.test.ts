import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core/core';
import { makeSimImage, startGatewaySim, type GatewaySim } from '../../gateway-sim';
import { otaCore, simBundle, until } from './setup';

/**
 * Faults of the gateway itself: a reboot that really cuts the power (every SSH session dies and
 * the gateway is unreachable for a while), a gateway that never comes back, and a slot whose
 * storage fills up in the middle of the write.
 */
const cores: Core[] = [];
const sims: GatewaySim[] = [];
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.close()));
  await Promise.all(sims.splice(0).map((s) => s.stop()));
});

async function setup(opts: Parameters<typeof startGatewaySim>[0], timings = {}) {
  const sim = await startGatewaySim({ scheme: 'bootcount', booted: 'A', ...opts });
  sims.push(sim);
  const ota = await otaCore(sim, undefined, timings);
  cores.push(ota.core);
  return { sim, ...ota };
}

describe('gateway faults during an update', () => {
  it('a reboot that drops every session and takes seconds: reconnects, verifies, commits', async () => {
    const { sim, core, work, vendor } = await setup({ powerCycle: { downMs: 2500 } });
    const img = await core.call('images.import', {
      path: simBundle(work, vendor, 'v5.0.5').path,
    });
    const { job_id } = await core.call('updates.download', { gateway: 'gw', update_id: img.id });
    expect((await until(core, job_id, ['downloaded', 'failed'])).status).toBe('downloaded');
    await core.call('updates.install', { job_id, reboot_delay: 0 });
    const done = await until(core, job_id, ['success', 'failed']);
    expect(done.status, done.error ?? '').toBe('success');
    expect(sim.powerCycles).toBe(1);
    const s = await core.gateways.status('gw', 'pinned-only');
    expect(s.boot?.booted_slot).toBe('B');
    expect(s.boot?.upgrade_pending).toBe(false);
  });

  it('a gateway that never comes back: the job fails, says so, and points at the serial console', async () => {
    const { sim, core, work, vendor } = await setup(
      { powerCycle: { downMs: null } },
      { rebootWaitMs: 4000 },
    );
    const img = await core.call('images.import', {
      path: simBundle(work, vendor, 'v5.0.5').path,
    });
    const { job_id } = await core.call('updates.download', { gateway: 'gw', update_id: img.id });
    await until(core, job_id, ['downloaded', 'failed']);
    await core.call('updates.install', { job_id, reboot_delay: 0 });
    const done = await until(core, job_id, ['success', 'failed']);
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/did not come back/);
    const progress = await core.call('updates.progress', { job_id });
    expect(JSON.stringify(progress.error?.suggested_actions)).toMatch(/serial console/i);
    expect(sim.powerCycles).toBe(1);
    // Powered on later, U-Boot runs the trial boot of B: nothing was committed by Rigger.
    await sim.powerOn();
    const env = await sim.env();
    expect(env.upgrade_available).toBe('1');
  });

  it('the slot storage fills up mid-write: OTA_003, the booted slot untouched, the target unbootable', async () => {
    const { sim, core, work, vendor } = await setup({ slotCapacity: { B: 2 * 1024 * 1024 } });
    const before = await sim.env();
    const img = await core.call('images.import', {
      path: simBundle(work, vendor, 'v5.0.5', { size: 6 * 1024 * 1024 }).path,
    });
    const { job_id } = await core.call('updates.download', { gateway: 'gw', update_id: img.id });
    const done = await until(core, job_id, ['downloaded', 'failed']);
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/ran out of space/);
    const after = await sim.env();
    expect(after.boot_slot).toBe(before.boot_slot);
    expect(after.boot_slot).toBe('A');
    expect(after.upgrade_available).toBe('0');
    const s = await core.gateways.status('gw', 'pinned-only');
    expect(s.boot?.booted_slot).toBe('A');
    // The failed slot's record is gone: nothing claims B holds an image any longer.
    expect(s.partitions.inactive.version).toBeNull();
  });
});

describe('manual images (upload.deploy)', () => {
  it('deploys a verified custom image from the library: written, verified, switched, committed', async () => {
    const { core, work } = await setup({});
    const file = join(work, 'custom.img');
    writeFileSync(file, makeSimImage('v5.1.0-site', 3 * 1024 * 1024));
    const img = await core.call('images.import', {
      path: file,
      unsigned: true,
      version: 'v5.1.0-site',
    });
    const verified = await core.call('upload.verify', { image_id: img.id, gateway: 'gw' });
    expect(verified.validation.checksum_valid).toBe(true);
    const refused = await core
      .call('upload.deploy', { gateway: 'gw', filename: img.id, reboot_delay: 0 })
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'OTA_006' });
    const started = await core.call('upload.deploy', {
      gateway: 'gw',
      filename: img.id,
      allow_unsigned: true,
      reboot_delay: 0,
    });
    expect(started).toMatchObject({ status: 'deploying', target_partition: 'B' });
    const done = await until(core, started.deployment_id, ['success', 'failed']);
    expect(done.status, done.error ?? '').toBe('success');
    const s = await core.gateways.status('gw', 'pinned-only');
    expect(s.boot?.booted_slot).toBe('B');
    expect(s.partitions.active.version).toBe('v5.1.0-site');
  });
});
