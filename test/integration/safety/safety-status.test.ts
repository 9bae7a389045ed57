import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core/core';
import { safetyStatusSchema } from '../../../src/shared/safety';
import { SAFE_SIGNALS, startGatewaySim, type GatewaySim } from '../../gateway-sim';
import { addSimGateway } from '../../helpers/sim-gateway';

describe('safety status from the gateway, over SSH', () => {
  let sim: GatewaySim;
  let core: Core;
  beforeAll(async () => {
    sim = await startGatewaySim();
    core = createCore({ dataDir: mkdtempSync(join(tmpdir(), 'rigger-safety-')), mode: 'test' });
    await addSimGateway(core, sim);
  });
  afterAll(async () => {
    await core?.close();
    await sim?.stop();
  });

  it("allows an update when the crane is idle, in the seed's shape", async () => {
    await sim.setSafety(SAFE_SIGNALS);
    const s = await core.call('safety.status', { gateway: 'gw' });
    expect(safetyStatusSchema.parse(s)).toEqual(s);
    expect(s.update_allowed).toBe(true);
  });

  it('blocks, and says why, when the safety command prints something that is not JSON', async () => {
    writeFileSync(join(sim.root, 'run', 'gateway', 'safety.json'), 'sensor bus timeout\n');
    const s = await core.call('safety.status', { gateway: 'gw' });
    expect(s.update_allowed).toBe(false);
    expect(s.recommendations.join(' ')).toMatch(/safety signals cannot be read/);
  });

  it('blocks while the crane moves', async () => {
    await sim.setSafety({ ...SAFE_SIGNALS, crane_motion: { status: 'moving' } });
    const s = await core.call('safety.status', { gateway: 'gw' });
    expect(s.update_allowed).toBe(false);
  });
});
