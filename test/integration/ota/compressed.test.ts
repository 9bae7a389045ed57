import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core/core';
import { startGatewaySim, type SchemeName } from '../../gateway-sim';
import { MiB, slotHash } from './delta-setup';
import { startProxy } from './proxy';
import { otaCore, simBundle, stepReached, throughProxy, until } from './setup';

/**
 * A gzip image from the library over a slow link: Rigger measures, chooses gzip, sends the
 * compressed bytes for the gateway's `gzip -dc | dd`, and the gateway's read-back proves the slot.
 */
const cores: Core[] = [];
const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.close()));
  for (const stop of stops.splice(0).reverse()) await stop();
});

/** The sim behind a proxy that carries `bytesPerSecond` (a site link), registered as "gw". */
async function slowGateway(scheme: SchemeName, bytesPerSecond: number) {
  const sim = await startGatewaySim({ scheme, booted: 'A' });
  stops.push(() => sim.stop());
  const proxy = await startProxy({ host: sim.host, port: sim.port }, { bytesPerSecond });
  stops.push(() => proxy.stop());
  const ota = await otaCore(sim);
  cores.push(ota.core);
  await throughProxy(ota.core, sim, proxy.port);
  return { sim, proxy, ...ota };
}

describe('compressed on the wire', () => {
  for (const scheme of ['bootcount', 'rauc', 'mender'] as const) {
    it(`${scheme}: gzip chosen on a slow link, fewer bytes on the wire, slot proven`, async () => {
      const { sim, core, work, vendor } = await slowGateway(scheme, 4e6);
      const b = simBundle(work, vendor, 'v5.2.0', {
        size: 6 * MiB,
        gzip: true,
        compressible: true,
      });
      const img = await core.call('images.import', { path: b.path });
      const wires: number[] = [];
      const told: string[] = [];
      const offs = [
        core.events.on('progress_update', (e) => {
          if (typeof e.details.bytes_on_wire === 'number') wires.push(e.details.bytes_on_wire);
        }),
        core.events.on('system_event', (e) => e.event === 'wire_chosen' && told.push(e.message)),
      ];
      const { job_id } = await core.call('updates.download', { gateway: 'gw', update_id: img.id });
      const done = await until(core, job_id, ['downloaded', 'failed']);
      for (const off of offs) off();
      expect(told).toEqual([expect.stringMatching(/^gw: gzip: /)]);
      expect(done.status, done.error ?? '').toBe('downloaded');
      const row = core.jobs.store.find(job_id)!;
      expect(row.result).toMatchObject({ wire: 'gzip', bytes_written: b.size });
      const onWire = row.result!.bytes_on_wire as number;
      expect(onWire).toBeGreaterThan(0);
      expect(onWire).toBeLessThan(b.size / 2);
      expect(wires.length).toBeGreaterThan(0);
      const chose = core.jobs.store.steps(job_id).find((s) => s.name === 'choose_wire');
      expect(chose?.details).toMatchObject({ wire: 'gzip' });
      expect(String(chose?.details.reason)).toMatch(/^gzip: /);
      // Measured over this slow link, not guessed: a link rate near the proxy's 4 MB/s.
      expect(chose?.details.link_rate).toBeGreaterThan(1e6);
      expect(chose?.details.link_rate).toBeLessThan(8e6);
      const listed = await core.call('jobs.list', { status: 'pending' });
      const job = listed.jobs.find((j) => j.id === job_id);
      expect(job?.details).toMatchObject({ wire: 'gzip', bytes_on_wire: onWire });
      expect(slotHash(sim.root, 'mmcblk0p3', b.size)).toBe(b.sha256);
    });
  }

  it('a link cut mid-write: reconnects, writes on and the read-back proves the slot', async () => {
    const { sim, proxy, core, work, vendor } = await slowGateway('bootcount', 2e6);
    const b = simBundle(work, vendor, 'v5.2.1', { size: 8 * MiB, gzip: true, compressible: true });
    const img = await core.call('images.import', { path: b.path });
    const { job_id } = await core.call('updates.download', { gateway: 'gw', update_id: img.id });
    await stepReached(core, job_id, 'write_image', 'running');
    await new Promise((r) => setTimeout(r, 700));
    proxy.cutAll(300);
    const done = await until(core, job_id, ['downloaded', 'failed']);
    expect(done.status, done.error ?? '').toBe('downloaded');
    expect(proxy.cutsDone).toBe(1);
    const row = core.jobs.store.find(job_id)!;
    expect(row.retries).toBeGreaterThanOrEqual(1);
    expect(row.result).toMatchObject({ wire: 'gzip', bytes_written: b.size });
    expect(slotHash(sim.root, 'mmcblk0p3', b.size)).toBe(b.sha256);
  });
});
