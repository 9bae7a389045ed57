import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core/core';
import { startGatewaySim, type GatewaySim } from '../../gateway-sim';
import { startProxy } from './proxy';
import { otaCore, simBundle, stepReached, throughProxy, until } from './setup';

/**
 * The link dropping at the moments a write cannot stop at: during the gateway's read-back, and
 * between the try-boot write and the reboot; and a reboot command that is lost.
 */
const cores: Core[] = [];
const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.close()));
  for (const stop of stops.splice(0).reverse()) await stop();
});

/** The sim behind a TCP proxy that can cut the link, registered as "gw" through the proxy. */
async function behindProxy(opts: Parameters<typeof startGatewaySim>[0], timings = {}) {
  const sim: GatewaySim = await startGatewaySim({ scheme: 'bootcount', booted: 'A', ...opts });
  stops.push(() => sim.stop());
  const proxy = await startProxy({ host: sim.host, port: sim.port });
  stops.push(() => proxy.stop());
  const ota = await otaCore(sim, undefined, timings);
  cores.push(ota.core);
  await throughProxy(ota.core, sim, proxy.port);
  return { sim, proxy, ...ota };
}

describe('the link at the worst moments', () => {
  it('dropped during the read-back: reconnects, reads back again, ends verified', async () => {
    const { proxy, core, work, vendor } = await behindProxy({
      slowCommands: { sha256sum: 1500 },
    });
    const img = await core.call('images.import', {
      path: simBundle(work, vendor, 'v5.0.5').path,
    });
    const { job_id } = await core.call('updates.download', { gateway: 'gw', update_id: img.id });
    await stepReached(core, job_id, 'verify_readback', 'running');
    await new Promise((r) => setTimeout(r, 300));
    proxy.cutAll(500);
    const done = await until(core, job_id, ['downloaded', 'failed']);
    expect(done.status, done.error ?? '').toBe('downloaded');
    expect(proxy.cutsDone).toBe(1);
  });

  it('dropped between the try-boot write and the reboot: the reboot is still delivered, then commit', async () => {
    const { sim, proxy, core, work, vendor } = await behindProxy({});
    const img = await core.call('images.import', {
      path: simBundle(work, vendor, 'v5.0.5').path,
    });
    const { job_id } = await core.call('updates.download', { gateway: 'gw', update_id: img.id });
    await until(core, job_id, ['downloaded', 'failed']);
    await core.call('updates.install', { job_id, reboot_delay: 2 });
    await stepReached(core, job_id, 'try_boot', 'done');
    // During the countdown: the link goes, and stays down for a while.
    proxy.cutAll(2500);
    const done = await until(core, job_id, ['success', 'failed']);
    expect(done.status, done.error ?? '').toBe('success');
    expect((await sim.env()).boot_slot).toBe('B');
    expect((await core.gateways.status('gw', 'pinned-only')).boot?.booted_slot).toBe('B');
  });

  it('a reboot command that is lost: the gateway still up on the old system gets it again', async () => {
    const { core, work, vendor } = await behindProxy(
      { ignoreReboots: 1 },
      { rebootStillUpMs: 1500 },
    );
    const events: string[] = [];
    const off = core.events.on('system_event', (e) => events.push(e.event));
    const img = await core.call('images.import', {
      path: simBundle(work, vendor, 'v5.0.5').path,
    });
    const { job_id } = await core.call('updates.download', { gateway: 'gw', update_id: img.id });
    await until(core, job_id, ['downloaded', 'failed']);
    await core.call('updates.install', { job_id, reboot_delay: 0 });
    const done = await until(core, job_id, ['success', 'failed']);
    off();
    expect(done.status, done.error ?? '').toBe('success');
    expect(events).toContain('reboot_resent');
  });
});
