import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../../src/main/core/core';
import type { GatewayStatus } from '../../../src/shared/status';
import { startGatewaySim, type GatewaySim } from '../../gateway-sim';
import { rigger } from '../../helpers/cli';
import { startLoginPty, type LoginPty } from '../../helpers/login-pty';

describe('a gateway on its serial console, at a Linux login (a real shell on a pty)', () => {
  let sim: GatewaySim;
  let pty: LoginPty;
  let dataDir: string;
  const cli = (...args: string[]) => rigger('--data-dir', dataDir, ...args);
  beforeAll(async () => {
    sim = await startGatewaySim({ scheme: 'rauc', booted: 'B' });
    pty = await startLoginPty('root', 'crane');
    dataDir = mkdtempSync(join(tmpdir(), 'rigger-cgw-linux-'));
    process.env.RIGGER_TEST_CONSOLE_PW = 'crane';
    const add = await cli(
      'gateway',
      'add',
      'crane-5',
      '--serial',
      pty.path,
      '--user',
      'root',
      '--password-env',
      'RIGGER_TEST_CONSOLE_PW',
      '--profile',
      sim.profilePath,
    );
    expect(add.code, add.err).toBe(0);
  }, 60_000);
  afterAll(async () => {
    await pty?.stop();
    await sim?.stop();
  });

  it('a wrong console password is AUTH_FAILED', async () => {
    process.env.RIGGER_TEST_CONSOLE_PW = 'wrong';
    const r = await cli('status', 'crane-5', '--json');
    process.env.RIGGER_TEST_CONSOLE_PW = 'crane';
    expect(r.code).not.toBe(0);
    expect(JSON.parse(r.err)).toMatchObject({ code: 'AUTH_FAILED' });
  }, 90_000);

  it('status over the console logs in and reads the same state as over SSH', async () => {
    const r = await cli('status', 'crane-5', '--json');
    expect(r.code, r.err).toBe(0);
    const s = JSON.parse(r.out) as GatewayStatus;
    expect(s.status).toBe('online');
    expect(s.connection.type).toBe('console');
    expect(s.boot?.booted_slot).toBe('B');
    expect(s.partitions.active).toMatchObject({ id: 'B', version: 'v5.0.3' });
    expect(s.gateway.model).toBe('Univa-GW-Pro');
  }, 90_000);

  it('switch at Linux: the scheme variables in one fw_setenv write, read back, then reboot', async () => {
    const r = await cli('switch', 'crane-5', '--slot', 'A', '--json');
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ slot: 'A', via: 'linux' });
    // The gateway's reboot (the test gateway plays U-Boot) comes up on slot A.
    const end = Date.now() + 30_000;
    let booted: string | null | undefined;
    while (Date.now() < end) {
      const s = await cli('status', 'crane-5', '--json');
      booted = s.code === 0 ? (JSON.parse(s.out) as GatewayStatus).boot?.booted_slot : undefined;
      if (booted === 'A') break;
      await new Promise((res) => setTimeout(res, 500));
    }
    expect(booted).toBe('A');
    expect((await sim.env()).BOOT_B_LEFT).toBe('0');
  }, 120_000);
  it('factory reset over the console: PIN and signals as over SSH; no backup over the wire', async () => {
    const core = createCore({ dataDir, mode: 'test' });
    try {
      await core.call('safety.setPin', { pin: '7392' });
      const req = {
        gateway: 'crane-5',
        confirm: true,
        reset_type: 'complete' as const,
        reason: 'Console reset test',
        pin: '7392',
      };
      await expect(
        core.call('recovery.factory', { ...req, backup_config: true }),
      ).rejects.toMatchObject({
        code: 'VALIDATION_ERROR',
        message: expect.stringMatching(/too slow/),
      });
      expect(existsSync(join(sim.root, 'data', 'config', 'crane.conf'))).toBe(true);
      const r = await core.call('recovery.factory', { ...req, backup_config: false });
      await core.jobs.wait(r.reset_id);
      const job = core.jobs.store.find(r.reset_id)!;
      expect(job.status, JSON.stringify(job.error)).toBe('success');
      expect(readdirSync(join(sim.root, 'data', 'config'))).toEqual([]);
    } finally {
      await core.close();
    }
  }, 180_000);
});
