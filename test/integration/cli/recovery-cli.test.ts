import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewaySim, type GatewaySim } from '../../gateway-sim';
import { rigger as run } from '../../helpers/cli';

const rigger = (dataDir: string, ...args: string[]) => run('--data-dir', dataDir, ...args);

describe('rigger recovery commands against the test gateway', () => {
  let sim: GatewaySim;
  let data: string;
  beforeAll(async () => {
    sim = await startGatewaySim({ scheme: 'bootcount', booted: 'A' });
    data = mkdtempSync(join(tmpdir(), 'rigger-cli-rec-'));
    const add = await rigger(
      data,
      'gateway',
      'add',
      'gw',
      '--ssh',
      `${sim.user}@${sim.host}:${sim.port}`,
      '--key',
      sim.keyFile,
      '--profile',
      sim.profilePath,
    );
    expect(add.code, add.err).toBe(0);
    const st = await rigger(data, 'status', 'gw', '--accept-new-host-key');
    expect(st.code, st.err).toBe(0);
  });
  afterAll(async () => sim?.stop());

  it('takes a snapshot, lists it, and shows it in the recovery status', async () => {
    const s = await rigger(data, 'snapshot', 'create', 'gw', '--name', 'cli', '--json');
    expect(s.code, s.err).toBe(0);
    expect(JSON.parse(s.out)).toMatchObject({ type: 'snapshot', status: 'success' });
    const l = await rigger(data, 'snapshot', 'list', 'gw', '--json');
    expect(JSON.parse(l.out).snapshots[0]).toMatchObject({ name: 'cli', gateway: 'gw' });
    const r = await rigger(data, 'recovery', 'gw', '--json');
    expect(JSON.parse(r.out)).toMatchObject({
      recovery_image: { present: true },
      rollback: { available: true, to_slot: 'B' },
    });
  });

  it('a factory reset without a terminal needs the name and a PIN, and does nothing without', async () => {
    const r = await rigger(data, 'factory-reset', 'gw', '--reason', 'test it');
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/--yes-i-am-sure gw/);
    const wrong = await rigger(
      data,
      'factory-reset',
      'gw',
      '--reason',
      'test',
      '--yes-i-am-sure',
      'other',
    );
    expect(wrong.code).not.toBe(0);
    expect(wrong.err).toMatch(/must name gw/);
  });

  it('monitor status in the seed shape', async () => {
    const m = await rigger(data, 'monitor', 'gw', '--json');
    expect(m.code, m.err).toBe(0);
    expect(JSON.parse(m.out)).toMatchObject({ system_status: 'idle', active_jobs: 0 });
  });
});
