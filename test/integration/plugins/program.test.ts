import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../../src/main/cli/program';
import { startGatewaySim, type GatewaySim } from '../../gateway-sim';
import { makeSigningKey } from '../../unit/core/plugins/plugin-zip';
import { pluginCore } from './core-setup';

const key = makeSigningKey();

/** `rigger plugins` and `rigger nodes` as the real program has them, on a data folder of its own. */
describe('the rigger program has the plugin and node commands', () => {
  let sim: GatewaySim;
  let dataDir: string;

  beforeAll(async () => {
    sim = await startGatewaySim({ plugins: {}, nodes: {} });
    const { core, dir } = await pluginCore(sim, key);
    dataDir = join(dir, 'data');
    await core.close();
  });
  afterAll(async () => {
    await sim?.stop();
  });

  let err = '';
  async function rigger(...args: string[]): Promise<{ code: number; out: string }> {
    let out = '';
    err = '';
    const spy = vi
      .spyOn(process.stdout, 'write')
      .mockImplementation((c) => ((out += String(c)), true));
    const spyErr = vi
      .spyOn(process.stderr, 'write')
      .mockImplementation((c) => ((err += String(c)), true));
    try {
      const code = await runCli(['node', 'rigger', '--data-dir', dataDir, ...args]);
      return { code, out };
    } finally {
      spy.mockRestore();
      spyErr.mockRestore();
    }
  }

  it('lists the nodes behind the registered gateway and its (empty) plugin folder', async () => {
    const nodes = await rigger('nodes', 'list', 'gw', '--json');
    expect(nodes.code).toBe(0);
    expect(JSON.parse(nodes.out)).toContainEqual(
      expect.objectContaining({ node_id: 'LOAD0001', gateway: 'gw', online: true }),
    );
    expect(await rigger('plugins', 'list', 'gw')).toEqual({ code: 0, out: 'No plugins\n' });
  });

  it('says why a node that belongs to no gateway cannot be checked', async () => {
    const r = await rigger('nodes', 'check', 'NOPE0001');
    expect(r.code).not.toBe(0);
    expect(err + r.out).toMatch(/Node NOPE0001 does not belong to any known gateway/);
  });
});
