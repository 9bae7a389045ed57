import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core/core';
import { LOG_FILE_BOUND } from '../../../src/main/core/monitor/gateway-logs';
import { startGatewaySim, type GatewaySim } from '../../gateway-sim';
import { addSimGateway } from '../../helpers/sim-gateway';

describe('log collection has a size bound', () => {
  let sim: GatewaySim;
  let core: Core;
  const work = mkdtempSync(join(tmpdir(), 'rigger-logbound-'));

  beforeAll(async () => {
    sim = await startGatewaySim();
    // A 1 MB gzip that inflates to 400 MiB: what a hostile or broken gateway can hold.
    execFileSync('sh', [
      '-c',
      `head -c 419430400 /dev/zero | tr '\\0' 'x' | gzip -1 > '${join(sim.root, 'var', 'log', 'bomb.log.gz')}'`,
    ]);
    core = createCore({ dataDir: join(work, 'data'), mode: 'test' });
    await addSimGateway(core, sim);
  });
  afterAll(async () => {
    await core?.close();
    await sim?.stop();
  });

  it('a log that inflates past the bound is cut there, in logs and in debug bundles', async () => {
    const r = await core.call('monitor.debug', { gateway: 'gw', include_config: false });
    const list = execFileSync('tar', ['-tvzf', r.path]).toString();
    const line = list.split('\n').find((l) => l.includes('bomb.log.gz'));
    expect(line, list).toBeDefined();
    const size = Number(line!.trim().split(/\s+/)[2]);
    expect(size).toBeLessThanOrEqual(LOG_FILE_BOUND);
    expect(size).toBeGreaterThan(0);
    const logs = await core.call('monitor.logs', { gateway: 'gw', limit: 10 });
    expect(logs.logs.length).toBeGreaterThan(0);
  }, 120_000);
});
