import { writeSync, openSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core/core';
import { startServer } from '../../../src/main/core/server/server';
import { startGatewaySim, type SchemeName } from '../../gateway-sim';
import { baseImage, changedImage, chosen, MiB, slotHash } from './delta-setup';
import { otaCore, simBundle, until } from './setup';

/**
 * Delta updates into the test gateway: planned from what the status file says each slot holds,
 * proven by the gateway's own hash, applied by the one slot writer (kept blocks left, copied
 * blocks moved by the gateway's dd, new blocks sent), and the whole slot proven by read-back.
 */
const cores: Core[] = [];
const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.close()));
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function gateway(scheme: SchemeName, contractToolsOnly = false) {
  const sim = await startGatewaySim({ scheme, booted: 'A', contractToolsOnly });
  stops.push(() => sim.stop());
  const ota = await otaCore(sim);
  cores.push(ota.core);
  return { sim, ...ota };
}

/** Import a bundle of `raw` and write it to the inactive slot (and install it, if asked). */
async function write(
  core: Core,
  bundle: { path: string },
  install: boolean,
): Promise<{ jobId: string; id: string }> {
  const img = await core.call('images.import', { path: bundle.path });
  const { job_id } = await core.call('updates.download', { gateway: 'gw', update_id: img.id });
  const dl = await until(core, job_id, ['downloaded', 'failed']);
  expect(dl.status, dl.error ?? '').toBe('downloaded');
  if (install) {
    await core.call('updates.install', { job_id, reboot_delay: 0 });
    const done = await until(core, job_id, ['success', 'failed']);
    expect(done.status, done.error ?? '').toBe('success');
  }
  return { jobId: job_id, id: img.id };
}

describe('delta updates', () => {
  for (const scheme of ['bootcount', 'rauc', 'mender'] as const) {
    it(`${scheme}: copies from the booted slot, then keeps the target's blocks; read-back proves each`, async () => {
      const { sim, core, work, vendor } = await gateway(scheme);
      const v1 = baseImage('v5.2.0', 8 * MiB);
      await write(core, simBundle(work, vendor, 'v5.2.0', { raw: v1, gzip: true }), true);

      // Booted B holds v5.2.0 (proven); A holds the sim's own image, which no record names.
      const v2 = changedImage(v1, 'v5.3.0', 0.05);
      const b2 = simBundle(work, vendor, 'v5.3.0', { raw: v2, gzip: true });
      const img2 = await core.call('images.import', { path: b2.path });
      const plan = await core.call('updates.plan', { gateway: 'gw', update_id: img2.id });
      expect(plan).toMatchObject({
        path: 'delta',
        target_partition: 'A',
        booted_partition: 'B',
        basis: {
          booted: { slot: 'B', proven: true, version: 'v5.2.0' },
          target: { proven: false },
        },
      });
      expect(plan.summary).toMatch(/MB to send of .* MB: \d+% new, \d+% copied on the gateway/);
      expect(plan.delta!.copy_bytes).toBeGreaterThan(v2.length * 0.8);
      expect(plan.delta!.send_bytes).toBeLessThan(v2.length * 0.1);

      const { job_id } = await core.call('updates.download', { gateway: 'gw', update_id: img2.id });
      const dl = await until(core, job_id, ['downloaded', 'failed']);
      expect(dl.status, dl.error ?? '').toBe('downloaded');
      expect(chosen(core, job_id)).toMatchObject({ wire: 'delta', path: 'delta' });
      const row = core.jobs.store.find(job_id)!;
      expect(row.result).toMatchObject({ wire: 'delta', bytes_written: v2.length });
      expect(row.result!.bytes_on_wire as number).toBeLessThan(v2.length * 0.15);
      const verified = core.jobs.store.steps(job_id).find((s) => s.name === 'verify_readback');
      expect(verified?.status).toBe('done');
      expect(slotHash(sim.root, 'mmcblk0p2', v2.length)).toBe(b2.sha256);

      // Not installed: A now holds v5.3.0 by the record; the next delta keeps its blocks.
      const v3 = changedImage(v2, 'v5.4.0', 0.05, 'clustered');
      const b3 = simBundle(work, vendor, 'v5.4.0', { raw: v3, gzip: true });
      const img3 = await core.call('images.import', { path: b3.path });
      const plan3 = await core.call('updates.plan', { gateway: 'gw', update_id: img3.id });
      expect(plan3).toMatchObject({
        path: 'delta',
        basis: { target: { slot: 'A', proven: true, version: 'v5.3.0' } },
      });
      expect(plan3.delta!.keep_bytes).toBeGreaterThan(v3.length * 0.8);
      const third = await core.call('updates.download', { gateway: 'gw', update_id: img3.id });
      const dl3 = await until(core, third.job_id, ['downloaded', 'failed']);
      expect(dl3.status, dl3.error ?? '').toBe('downloaded');
      expect(chosen(core, third.job_id)).toMatchObject({ wire: 'delta' });
      expect(slotHash(sim.root, 'mmcblk0p2', v3.length)).toBe(b3.sha256);
      await core.call('updates.install', { job_id: third.job_id, reboot_delay: 0 });
      const done = await until(core, third.job_id, ['success', 'failed']);
      expect(done.status, done.error ?? '').toBe('success');
      expect((await core.gateways.status('gw', 'pinned-only')).partitions.active.version).toBe(
        'v5.4.0',
      );
    });
  }

  it('a target slot that does not hold what the status file claims: full write, no mix', async () => {
    const { sim, core, work, vendor } = await gateway('bootcount');
    const v1 = baseImage('v5.2.0', 8 * MiB);
    await write(core, simBundle(work, vendor, 'v5.2.0', { raw: v1, gzip: true }), false);
    // Slot B changes behind Rigger's back: one block, the status file still names v5.2.0.
    const fd = openSync(join(sim.root, 'dev', 'mmcblk0p3'), 'r+');
    writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, 3 * MiB);
    closeSync(fd);
    const v2 = changedImage(v1, 'v5.3.0', 0.05);
    const b2 = simBundle(work, vendor, 'v5.3.0', { raw: v2, gzip: true });
    const img2 = await core.call('images.import', { path: b2.path });
    const plan = await core.call('updates.plan', { gateway: 'gw', update_id: img2.id });
    expect(plan.path).not.toBe('delta');
    // The same answer over REST, for a browser or a script.
    const server = await startServer({ core });
    stops.push(() => server.close());
    const r = await fetch(
      `${server.url.replace(/\/$/, '')}/cloud-integration/updates/plan?gateway=gw&update_id=${img2.id}`,
      { headers: { Authorization: `Bearer ${server.token}` } },
    );
    expect(r.status).toBe(200);
    // Raw or gzip is measured again for each answer (a loaded machine may tip it): not a delta.
    const overRest = (await r.json()) as typeof plan;
    expect(overRest).toMatchObject({ basis: { target: { proven: false } } });
    expect(overRest.path).not.toBe('delta');
    expect(plan.basis.target).toMatchObject({ slot: 'B', proven: false, version: 'v5.2.0' });
    expect(plan.fallback).toMatch(/gateway's hash of the slot differs/);
    const { job_id } = await core.call('updates.download', { gateway: 'gw', update_id: img2.id });
    const dl = await until(core, job_id, ['downloaded', 'failed']);
    expect(dl.status, dl.error ?? '').toBe('downloaded');
    // The job planned a delta from the status file, the gateway's hash beside the staging
    // refused it before any block was placed, and the full image went instead.
    const ways = core.jobs.store.steps(job_id).filter((s) => s.name === 'choose_wire');
    expect(ways.map((w) => w.details.wire)).toEqual(['delta', expect.stringMatching(/raw|gzip/)]);
    const way = chosen(core, job_id);
    expect(String(way.fallback)).toMatch(/hash of the slot differs/);
    expect(slotHash(sim.root, 'mmcblk0p3', v2.length)).toBe(b2.sha256);
  });

  it("with only the contract's tools (BusyBox applets): staged, placed and kept, slot proven", async () => {
    const { sim, core, work, vendor } = await gateway('bootcount', true);
    const v1 = baseImage('v5.2.0', 8 * MiB);
    await write(core, simBundle(work, vendor, 'v5.2.0', { raw: v1, gzip: true }), false);
    // B's unchanged blocks are kept; the new ones are staged and placed by BusyBox's dd.
    const v2 = changedImage(v1, 'v5.3.0', 0.05);
    const b2 = simBundle(work, vendor, 'v5.3.0', { raw: v2, gzip: true });
    const img2 = await core.call('images.import', { path: b2.path });
    const plan = await core.call('updates.plan', { gateway: 'gw', update_id: img2.id });
    expect(plan).toMatchObject({ path: 'delta', basis: { target: { slot: 'B', proven: true } } });
    const { job_id } = await core.call('updates.download', { gateway: 'gw', update_id: img2.id });
    const dl = await until(core, job_id, ['downloaded', 'failed']);
    expect(dl.status, dl.error ?? '').toBe('downloaded');
    expect(chosen(core, job_id)).toMatchObject({ wire: 'delta' });
    expect(slotHash(sim.root, 'mmcblk0p3', v2.length)).toBe(b2.sha256);
  });
});
