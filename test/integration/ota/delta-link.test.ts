import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core/core';
import type { Checkpoint } from '../../../src/main/core/slots/contract';
import { startGatewaySim } from '../../gateway-sim';
import { baseImage, changedImage, chosen, MiB, slotHash } from './delta-setup';
import { startProxy } from './proxy';
import { otaCore, simBundle, throughProxy, until } from './setup';

/**
 * A delta write over a link that is cut: while its new blocks are staged, and while the gateway
 * places them. The staging goes on from what the gateway proves it holds; the placing, which
 * reads only the stage and the booted slot, is done again. The read-back proves the result.
 */
const cores: Core[] = [];
const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.close()));
  for (const stop of stops.splice(0).reverse()) await stop();
});

/** The sim behind a slow proxy, registered as "gw", slot B holding `v1` by Rigger's record. */
async function slowGatewayWith(bytesPerSecond: number, v1: Buffer) {
  const sim = await startGatewaySim({ scheme: 'bootcount', booted: 'A' });
  stops.push(() => sim.stop());
  const proxy = await startProxy({ host: sim.host, port: sim.port }, { bytesPerSecond });
  stops.push(() => proxy.stop());
  const { core, work, vendor } = await otaCore(sim);
  cores.push(core);
  const first = await core.call('images.import', {
    path: simBundle(work, vendor, 'v5.2.0', { raw: v1, gzip: true }).path,
  });
  const { job_id } = await core.call('updates.download', { gateway: 'gw', update_id: first.id });
  expect((await until(core, job_id, ['downloaded', 'failed'])).status).toBe('downloaded');
  await throughProxy(core, sim, proxy.port);
  return { sim, proxy, core, work, vendor };
}

/** Wait until the job's journal holds a checkpoint that `pick` accepts. */
async function checkpointSeen(core: Core, jobId: string, pick: (c: Checkpoint) => boolean) {
  const end = Date.now() + 60_000;
  while (Date.now() < end) {
    const cps = (core.jobs.store.find(jobId)?.state.checkpoints ?? []) as Checkpoint[];
    if (cps.some(pick)) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`job ${jobId} never journaled the checkpoint`);
}

describe('delta over a cut link', () => {
  it('cut while the new blocks are staged: resumes the staging and proves the slot', async () => {
    const v1 = baseImage('v5.2.0', 32 * MiB);
    const { sim, proxy, core, work, vendor } = await slowGatewayWith(2e6, v1);
    const v2 = changedImage(v1, 'v5.3.0', 0.3);
    const b2 = simBundle(work, vendor, 'v5.3.0', { raw: v2, gzip: true });
    const img = await core.call('images.import', { path: b2.path });
    const { job_id } = await core.call('updates.download', { gateway: 'gw', update_id: img.id });
    // Late enough that earlier checkpoints left the socket buffers and SSH window (several MB
    // at this rate) and landed on the gateway.
    await checkpointSeen(core, job_id, (c) => c.region === 'stage' && c.offset >= 8 * MiB);
    proxy.cutAll(300);
    const done = await until(core, job_id, ['downloaded', 'failed']);
    expect(done.status, done.error ?? '').toBe('downloaded');
    expect(chosen(core, job_id)).toMatchObject({ wire: 'delta' });
    const row = core.jobs.store.find(job_id)!;
    expect(row.retries).toBeGreaterThanOrEqual(1);
    // The staging went on from a proven checkpoint: less than twice the new blocks travelled.
    const send = (chosen(core, job_id).bytes_on_wire_planned as number) ?? 0;
    expect(row.result!.bytes_on_wire as number).toBeLessThan(send * 1.9);
    expect(slotHash(sim.root, 'mmcblk0p3', v2.length)).toBe(b2.sha256);
  });

  it('cut while the gateway places the blocks: places them again from the stage, sends nothing again', async () => {
    const v1 = baseImage('v5.2.0', 32 * MiB);
    const { sim, proxy, core, work, vendor } = await slowGatewayWith(1e6, v1);
    // Many scattered runs: the gateway's placing takes several batches of dd's.
    const v2 = changedImage(v1, 'v5.3.0', 0.1);
    const b2 = simBundle(work, vendor, 'v5.3.0', { raw: v2, gzip: true });
    const img = await core.call('images.import', { path: b2.path });
    const { job_id } = await core.call('updates.download', { gateway: 'gw', update_id: img.id });
    // Past the staging's share of the progress: a batch of the placing is done, more are running.
    const end = Date.now() + 60_000;
    for (;;) {
      const row = core.jobs.store.find(job_id)!;
      if (row.bytes_total && row.bytes_done > 0.9 * row.bytes_total) break;
      if (Date.now() > end || ['failed', 'downloaded'].includes(row.status))
        throw new Error(`the placing was never seen (${row.status})`);
      await new Promise((r) => setTimeout(r, 5));
    }
    proxy.cutAll(300);
    const done = await until(core, job_id, ['downloaded', 'failed']);
    expect(done.status, done.error ?? '').toBe('downloaded');
    const row = core.jobs.store.find(job_id)!;
    expect(row.retries).toBeGreaterThanOrEqual(1);
    // The staged blocks stayed on the gateway, proven by their checkpoint: not sent again.
    const send = (chosen(core, job_id).bytes_on_wire_planned as number) ?? 0;
    expect(row.result!.bytes_on_wire as number).toBeLessThan(send * 1.3);
    expect(slotHash(sim.root, 'mmcblk0p3', v2.length)).toBe(b2.sha256);
  });
});
