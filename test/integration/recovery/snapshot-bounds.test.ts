import { readdirSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core/core';
import { startGatewaySim, type GatewaySim } from '../../gateway-sim';
import { otaCore } from '../ota/setup';
import { settle } from './setup';

let sim: GatewaySim;
let core: Core;
beforeAll(async () => {
  sim = await startGatewaySim({ scheme: 'bootcount', booted: 'A' });
  ({ core } = await otaCore(sim));
});
afterAll(async () => {
  await core?.close();
  await sim?.stop();
});

describe('a snapshot has a size bound', () => {
  it('a gateway that sends far more than it announced is cut off; nothing is kept', async () => {
    // A sparse file: `du` says almost nothing, `tar` sends a whole GiB.
    const big = join(sim.root, 'data', 'sparse.bin');
    writeFileSync(big, '');
    truncateSync(big, 1024 ** 3);
    const s = await core.call('monitor.snapshot', { gateway: 'gw', compression: 'none' });
    const j = await settle(core, s.job_id, 100_000);
    expect(j.status).toBe('failed');
    expect(j.error).toMatch(/more than/);
    const dir = join(core.info.data_dir, 'snapshots');
    expect(readdirSync(dir)).toEqual([]);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect((await core.call('snapshots.list', {})).snapshots).toHaveLength(0);
  }, 120_000);
});
