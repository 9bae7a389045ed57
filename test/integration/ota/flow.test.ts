import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core/core';
import { startGatewaySim, type GatewaySim, type SchemeName } from '../../gateway-sim';
import { otaCore, simBundle, until } from './setup';

const cores: Core[] = [];
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.close()));
});

/** Download, install, commit; then the way back to the first slot. */
async function update(core: Core, version: string, path: string) {
  const img = await core.call('images.import', { path });
  const started = await core.call('updates.download', { gateway: 'gw', update_id: img.id });
  const dl = await until(core, started.job_id, ['downloaded', 'failed']);
  expect(dl.error).toBeNull();
  await core.call('updates.install', { job_id: started.job_id, reboot_delay: 0 });
  return until(core, started.job_id, ['success', 'failed']);
}

describe.each<SchemeName>(['bootcount', 'rauc', 'mender'])('update flow, %s scheme', (scheme) => {
  let sim: GatewaySim;
  beforeAll(async () => {
    sim = await startGatewaySim({ scheme, booted: 'A', versions: { A: 'v5.0.4', B: 'v5.0.3' } });
  });
  afterAll(async () => sim?.stop());

  it('writes B, reboots into it, commits; then a second update goes back to A', async () => {
    const { core, work, vendor } = await otaCore(sim);
    cores.push(core);
    const first = await update(core, 'v5.0.5', simBundle(work, vendor, 'v5.0.5').path);
    expect(first.status, first.error ?? '').toBe('success');
    let s = await core.gateways.status('gw', 'pinned-only');
    expect(s.boot?.booted_slot).toBe('B');
    expect(s.partitions.active.version).toBe('v5.0.5');
    expect(s.boot?.upgrade_pending).toBe(false);

    const second = await update(core, 'v5.0.6', simBundle(work, vendor, 'v5.0.6').path);
    expect(second.status, second.error ?? '').toBe('success');
    s = await core.gateways.status('gw', 'pinned-only');
    expect(s.boot?.booted_slot).toBe('A');
    expect(s.partitions.active.version).toBe('v5.0.6');
    const h = await core.call('history.updates', { gateway: 'gw' });
    expect(h.statistics.total_updates).toBe(2);
    expect(h.statistics.success_rate).toBe('100%');
  });

  it('an image that boots unhealthy ends in a detected rollback, old slot booted', async () => {
    const { core, work, vendor } = await otaCore(sim);
    cores.push(core);
    const before = (await core.gateways.status('gw', 'pinned-only')).boot!.booted_slot;
    const r = await update(
      core,
      'v5.9.0',
      simBundle(work, vendor, 'v5.9.0', { healthy: false }).path,
    );
    expect(r.status).toBe('failed');
    const s = await core.gateways.status('gw', 'pinned-only');
    expect(s.boot?.booted_slot).toBe(before);
    const h = await core.call('history.updates', { gateway: 'gw', status: 'failed' });
    expect(h.history[0]).toMatchObject({ rollback: true, status: 'failed' });
  });
});
