import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../../../src/main/cli/program';
import { createCore } from '../../../../src/main/core/core';

/** Parse a command line as `rigger` does; errors a command reports are collected. */
async function run(dataDir: string, ...args: string[]): Promise<unknown[]> {
  const reported: unknown[] = [];
  await buildProgram((err) => reported.push(err)).parseAsync([
    'node',
    'rigger',
    '--data-dir',
    dataDir,
    ...args,
  ]);
  return reported;
}

const serial = (baud: string) => [
  '--serial',
  '/dev/ttyUSB0',
  '--baud',
  baud,
  '--profile',
  'univa-gw-pro',
  '--no-test',
];

describe('--baud', () => {
  it('is refused the same way by every command, before anything is opened', async () => {
    const lines: Array<[string, string[]]> = [
      ['fast', ['console', '/dev/ttyUSB99', '--baud', 'fast']],
      ['0', ['console', 'state', '/dev/ttyUSB99', '--baud', '0']],
      ['9600.5', ['console', 'printenv', '/dev/ttyUSB99', '--baud', '9600.5']],
      ['5000000', ['gateway', 'add', 'crane-9', ...serial('5000000')]],
    ];
    for (const [given, line] of lines) {
      const dataDir = mkdtempSync(join(tmpdir(), 'rigger-baud-'));
      await expect(run(dataDir, ...line), line.join(' ')).rejects.toMatchObject({
        code: 'VALIDATION_ERROR',
        message: `--baud takes a whole number from 1 to 4000000, not "${given}"`,
      });
      // The core was never opened: its data folder is as it was.
      expect(readdirSync(dataDir), line.join(' ')).toEqual([]);
    }
  });

  it('a good rate goes to the gateway record as a number', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rigger-baud-'));
    expect(await run(dataDir, 'gateway', 'add', 'crane-9', ...serial('57600'))).toEqual([]);
    const core = createCore({ dataDir, mode: 'test' });
    try {
      const g = await core.call('gateways.get', { name: 'crane-9' });
      expect(g.connection).toMatchObject({ type: 'serial', port: '/dev/ttyUSB0', baud: 57600 });
    } finally {
      await core.close();
    }
  });
});
