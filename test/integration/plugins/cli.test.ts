import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerNodeCommands } from '../../../src/main/cli/nodes';
import { registerPluginCommands } from '../../../src/main/cli/plugins';
import type { Core } from '../../../src/main/core/core';
import { toErrorData } from '../../../src/shared/errors';
import { startGatewaySim, type GatewaySim } from '../../gateway-sim';
import { makeSigningKey, pluginZip, writeZip } from '../../unit/core/plugins/plugin-zip';
import { makeFirmwareBundle } from '../nodes/firmware-bundle';
import { pluginCore } from './core-setup';

const key = makeSigningKey();

/**
 * The CLI command files on a Commander program of their own, over a real core (the commands go
 * through `core.call`) and the test gateway.
 */
describe('rigger plugins / rigger nodes commands', () => {
  let sim: GatewaySim;
  let core: Core;
  let failures: string[] = [];

  beforeAll(async () => {
    sim = await startGatewaySim({ plugins: {}, nodes: {} });
    ({ core } = await pluginCore(sim, key));
  });
  afterAll(async () => {
    await core?.close();
    await sim?.stop();
  });

  async function rigger(...args: string[]): Promise<string> {
    failures = [];
    const program = new Command('rigger').exitOverride();
    const withCore = async <T>(fn: (core: Core, g: object) => Promise<T>) => {
      try {
        await fn(core, {});
      } catch (err) {
        failures.push(toErrorData(err).message);
      }
    };
    registerPluginCommands(program, withCore);
    registerNodeCommands(program, withCore);
    let out = '';
    const spy = vi
      .spyOn(process.stdout, 'write')
      .mockImplementation((c) => ((out += String(c)), true));
    try {
      await program.parseAsync(['node', 'rigger', ...args]);
    } finally {
      spy.mockRestore();
    }
    return out;
  }

  it('installs a plugin, streaming the gateway output, and lists it', async () => {
    const zip = writeZip(
      join(tmpdir(), `rigger-cli-${process.pid}.zip`),
      await pluginZip({ key: key.privateKey }),
    );
    const out = await rigger('plugins', 'install', 'gw', zip);
    expect(failures).toEqual([]);
    expect(out).toContain('Starting plugin acs-zoning 1.0.0');
    expect(out).toContain('» Operation completed successfully');
    expect(await rigger('plugins', 'list', 'gw')).toMatch(
      /^acs-zoning\s+1\.0\.0\s+previous -\s+fits active/,
    );
    await rigger('plugins', 'rollback', 'gw', 'acs-zoning');
    expect(failures[0]).toMatch(/no previous version/);
  });

  it('imports node firmware, checks and pushes it to a node, and shows its state', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rigger-cli-fw-'));
    const b = makeFirmwareBundle(dir, {
      key: key.privateKey,
      type: 'esp32-load-sensor',
      version: '5.3.3',
    });
    expect(await rigger('nodes', 'import', b.path)).toMatch(/^Imported esp32-load-sensor-5\.3\.3/);
    expect(await rigger('nodes', 'check', 'LOAD0001')).toMatch(/^Update available: 5\.3\.3/);
    const pushed = await rigger('nodes', 'push', 'LOAD0001');
    expect(failures).toEqual([]);
    expect(pushed.trim().split('\n').at(-1)).toBe(
      'success: Firmware updated successfully to version 5.3.3',
    );
    expect(await rigger('nodes', 'status', 'LOAD0001')).toMatch(
      /^LOAD0001: success, running 5\.3\.3/,
    );
    await rigger('nodes', 'push', 'LOAD0003');
    expect(failures[0]).toMatch(/failed: The node did not confirm 5\.3\.3/);
    expect(await rigger('nodes', 'list', 'gw')).toMatch(
      /LOAD0003\s+esp32-load-sensor\s+5\.3\.2\s+online/,
    );
  });
});
