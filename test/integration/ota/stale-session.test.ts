import { closeSync, openSync, writeSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core/core';
import { startGatewaySim, type GatewaySim } from '../../gateway-sim';
import { otaCore, simBundle, until } from './setup';

/**
 * The field bug: a session accepted as the reboot begins answers with the old kernel command
 * line while U-Boot has already counted the new slot's boot in the environment. That picture is
 * not a rollback: Rigger waits for a boot that really changed and reads the same twice.
 */
const cores: Core[] = [];
const sims: GatewaySim[] = [];
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.close()));
  await Promise.all(sims.splice(0).map((s) => s.stop()));
});

/** Zero slot B's image header: its kernel "panics", so the bootloader must fall back. */
function breakSlotB(sim: GatewaySim): void {
  const device = (sim.profile as { slots: Record<string, { device: string }> }).slots.B!.device;
  const fd = openSync(device, 'r+');
  writeSync(fd, Buffer.alloc(512), 0, 512, 0);
  closeSync(fd);
}

async function installOn(scheme: 'bootcount' | 'rauc' | 'mender', opts: { brokenB?: boolean }) {
  const sim = await startGatewaySim({ scheme, booted: 'A', staleKernelSeconds: 3 });
  sims.push(sim);
  const { core, work, vendor } = await otaCore(sim);
  cores.push(core);
  const img = await core.call('images.import', { path: simBundle(work, vendor, 'v5.0.5').path });
  const { job_id } = await core.call('updates.download', { gateway: 'gw', update_id: img.id });
  expect((await until(core, job_id, ['downloaded', 'failed'])).status).toBe('downloaded');
  if (opts.brokenB) breakSlotB(sim);
  await core.call('updates.install', {
    job_id,
    reboot_delay: 0,
    verify_installation: !opts.brokenB,
  });
  return { core, done: await until(core, job_id, ['success', 'failed']) };
}

describe.each(['bootcount', 'rauc', 'mender'] as const)(
  'a half-rebooted gateway (%s)',
  (scheme) => {
    it('is never taken for a rollback: the new slot is proven booted, then committed', async () => {
      const { core, done } = await installOn(scheme, {});
      expect(done.status, done.error ?? '').toBe('success');
      const s = await core.gateways.status('gw', 'pinned-only');
      expect(s.boot?.booted_slot).toBe('B');
      expect(s.partitions.active.version).toBe('v5.0.5');
      const history = await core.call('history.updates', { gateway: 'gw' });
      expect(JSON.stringify(history)).not.toMatch(/"rollback": *true/);
    });

    it('a real fallback of the bootloader is still a rollback, once proven', async () => {
      const { core, done } = await installOn(scheme, { brokenB: true });
      expect(done.status).toBe('failed');
      expect(done.error).toMatch(/came back on slot A: the bootloader rolled back from slot B/);
      const s = await core.gateways.status('gw', 'pinned-only');
      expect(s.boot).toMatchObject({ booted_slot: 'A', next_slot: 'A' });
    });
  },
);
