import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rigger as run } from '../../helpers/cli';
import { startQemuUboot, type QemuUboot } from '../../helpers/qemu-uboot';

const data = mkdtempSync(join(tmpdir(), 'rigger-cli-console-'));
const rigger = (...args: string[]) => run('--data-dir', data, ...args);

describe('rigger console against U-Boot in QEMU', () => {
  let qemu: QemuUboot;
  beforeAll(async () => {
    qemu = await startQemuUboot({ boot_slot: 'B', bootlimit: '3' });
  }, 60_000);
  afterAll(async () => qemu?.stop());

  it('prints the U-Boot environment as JSON', async () => {
    const r = await rigger('console', 'printenv', qemu.pty, '--json');
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ boot_slot: 'B', bootlimit: '3' });
  }, 90_000);

  it('a port that does not exist: a clear error and a non-zero exit', async () => {
    const r = await rigger('console', 'state', '/dev/ttyUSB99');
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/Cannot open serial port \/dev\/ttyUSB99/);
  });
});
