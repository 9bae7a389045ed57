import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  writeFileSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../../src/main/core/core';
import type { GatewayStatus } from '../../../src/shared/status';
import { rigger } from '../../helpers/cli';
import { startQemuUboot, type QemuUboot } from '../../helpers/qemu-uboot';

const START_B = 8192;

/**
 * A gateway registered with its serial console (`gateway add --serial`), used by name from the
 * CLI: at U-Boot in QEMU (status from the environment, flash, switch, the recovery system) and
 * at a Linux shell behind a login prompt (the full status, a switch with fw_setenv and reboot).
 */
describe('a gateway on its serial console, at U-Boot (QEMU)', () => {
  let qemu: QemuUboot;
  let dataDir: string;
  const cli = (...args: string[]) => rigger('--data-dir', dataDir, ...args);
  beforeAll(async () => {
    qemu = await startQemuUboot({
      // A long countdown, so the first status finds U-Boot counting down.
      bootdelay: '60',
      boot_slot: 'A',
      upgrade_available: '0',
      bootcount: '0',
      bootlimit: '3',
      recovery_boot: 'echo Starting the recovery system',
    });
    dataDir = mkdtempSync(join(tmpdir(), 'rigger-cgw-'));
    const profile = JSON.parse(
      readFileSync(join(__dirname, '../../../resources/profiles/univa-gw-pro.json'), 'utf8'),
    );
    profile.name = 'qemu-board';
    profile.console = {
      ...profile.console,
      block_command: 'virtio',
      block_device: '0',
      slot_start_block: { A: 2048, B: START_B },
      max_load_bytes: 64 * 1024,
      recovery_command: 'run recovery_boot',
    };
    mkdirSync(join(dataDir, 'profiles'));
    writeFileSync(join(dataDir, 'profiles', 'qemu-board.json'), JSON.stringify(profile));
    writeFileSync(
      join(dataDir, 'profiles', 'qemu-broken.json'),
      JSON.stringify({
        ...profile,
        name: 'qemu-broken',
        console: { ...profile.console, recovery_command: 'run no_such_command' },
      }),
    );
  }, 60_000);
  afterAll(async () => {
    await qemu?.stop();
  });

  it('is added with --serial; a wrong flag mix is refused and nothing is added', async () => {
    const bad = await cli(
      'gateway',
      'add',
      'x',
      '--serial',
      qemu.pty,
      '--key',
      '/k',
      '--profile',
      'qemu-board',
    );
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/no SSH key/);
    const both = await cli(
      'gateway',
      'add',
      'x',
      '--serial',
      qemu.pty,
      '--ssh',
      'root@h',
      '--profile',
      'qemu-board',
    );
    expect(both.code).not.toBe(0);
    const add = await cli(
      'gateway',
      'add',
      'crane-9',
      '--serial',
      qemu.pty,
      '--profile',
      'qemu-board',
      '--json',
    );
    expect(add.code, add.err).toBe(0);
    expect(JSON.parse(add.out).connection).toEqual({
      type: 'serial',
      port: qemu.pty,
      baud: 115200,
      user: 'root',
      auth: { method: 'none' },
    });
    const list = JSON.parse((await cli('gateway', 'list', '--json')).out) as unknown[];
    expect(list).toHaveLength(1);
  }, 60_000);

  it('status during the countdown says so and does not stop the boot', async () => {
    const r = await cli('status', 'crane-9', '--json');
    expect(r.code, r.err).toBe(0);
    const s = JSON.parse(r.out) as GatewayStatus;
    expect(s.status).toBe('bootloader');
    expect(s.connection).toEqual({ type: 'console', target: qemu.pty });
    expect(s.warnings[0]).toMatch(/counting down/);
    expect(s.boot).toBeNull();
  }, 60_000);

  it('flash by name stops autoboot and writes the slot U-Boot does not boot next', async () => {
    const image = randomBytes(24 * 1024 + 7);
    const file = join(dataDir, 'rescue.img');
    writeFileSync(file, image);
    const imp = await cli('images', 'import', file, '--unsigned', '--version', 'v5.0.4', '--json');
    expect(imp.code, imp.err).toBe(0);
    const id = (JSON.parse(imp.out) as { id: string }).id;
    const r = await cli('flash', 'crane-9', '--image', id, '--allow-unsigned', '--json');
    expect(r.code, r.err + r.out).toBe(0);
    const job = JSON.parse(r.out) as { status: string };
    expect(job.status, r.out.slice(0, 2000)).toBe('success');
    // Slot B's place on the disk holds the image (A, which U-Boot boots next, is untouched).
    const fd = openSync(qemu.disk, 'r');
    const back = Buffer.alloc(image.length);
    readSync(fd, back, 0, image.length, START_B * 512);
    closeSync(fd);
    expect(back.equals(image)).toBe(true);
  }, 300_000);

  it('status at the prompt: the environment and the slot state, Linux figures null', async () => {
    const r = await cli('status', 'crane-9', '--json');
    expect(r.code, r.err).toBe(0);
    const s = JSON.parse(r.out) as GatewayStatus;
    expect(s.status).toBe('bootloader');
    expect(s.boot?.env).toMatchObject({ boot_slot: 'A', bootlimit: '3' });
    expect(s.boot?.next_slot).toBe('A');
    expect(s.boot?.booted_slot).toBeNull();
    expect(s.partitions.active).toMatchObject({ id: 'A', next_boot: true, version: null });
    expect(s.partitions.inactive).toMatchObject({ id: 'B', next_boot: false });
    expect(s.gateway.os_version).toBeNull();
    expect(Object.values(s.system).every((v) => v === null)).toBe(true);
    expect(s.warnings[0]).toMatch(/U-Boot prompt/);
  }, 60_000);

  it('switch: a saveenv that fails is an error, and the unsaved values are put back', async () => {
    const r = await cli('switch', 'crane-9', '--slot', 'B', '--json');
    expect(r.code).not.toBe(0);
    expect(JSON.parse(r.err)).toMatchObject({ code: 'COMMAND_FAILED' });
    expect(r.err).toMatch(/could not save/);
    const s = JSON.parse((await cli('status', 'crane-9', '--json')).out) as GatewayStatus;
    expect(s.boot?.env.boot_slot).toBe('A');
    expect(s.boot?.next_slot).toBe('A');
  }, 90_000);

  it("boots the recovery system with the profile's command; U-Boot's error is an error", async () => {
    const core = createCore({ dataDir, mode: 'test' });
    try {
      await core.call('gateways.add', {
        name: 'crane-9-broken',
        profile: 'qemu-broken',
        connection: { type: 'serial', port: qemu.pty },
      });
      await expect(
        core.call('console.recoveryBoot', { gateway: 'crane-9-broken' }),
      ).rejects.toMatchObject({ code: 'COMMAND_FAILED' });
      const ok = await core.call('console.recoveryBoot', { gateway: 'crane-9' });
      expect(ok.output).toMatch(/Starting the recovery system/);
    } finally {
      await core.close();
    }
  }, 60_000);
});
