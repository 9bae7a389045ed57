import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core/core';
import { startQemuUboot, type QemuUboot } from '../../helpers/qemu-uboot';

/** The console through the core's API, as the Console page uses it, against U-Boot in QEMU. */
describe('console sessions through the API (QEMU U-Boot)', () => {
  let qemu: QemuUboot;
  let core: Core;
  let session: string;
  const seen: string[] = [];
  beforeAll(async () => {
    qemu = await startQemuUboot({
      boot_slot: 'A',
      upgrade_available: '0',
      bootcount: '0',
      bootlimit: '3',
    });
    core = createCore({ dataDir: mkdtempSync(join(tmpdir(), 'rigger-console-')), mode: 'test' });
    await core.call('gateways.add', {
      name: 'crane-7',
      profile: 'univa-gw-pro',
      connection: {
        type: 'ssh',
        host: '192.0.2.7',
        port: 22,
        user: 'root',
        auth: { method: 'key', key_file: '/nonexistent' },
      },
    });
    core.events.on('console_data', (e) => seen.push(e.data));
  }, 60_000);
  afterAll(async () => {
    await core?.close();
    await qemu?.stop();
  });

  it('opens the port, streams what U-Boot prints, and stops autoboot', async () => {
    const s = await core.call('console.open', { path: qemu.pty, gateway: 'crane-7' });
    session = s.session_id;
    expect(['autoboot', 'silent', 'unknown', 'uboot']).toContain(s.state);
    await core.call('console.action', { session_id: session, action: 'stop_autoboot' });
    // QEMU drops what the board prints before the port is open: on a loaded machine the banner
    // may come before it; the countdown is still U-Boot's own text.
    expect(seen.join('')).toMatch(/U-Boot 20\d\d|Hit any key to stop autoboot/);
    expect((await core.call('console.detect', { session_id: session })).state).toBe('uboot');
  }, 60_000);

  it('the terminal types into it', async () => {
    const before = seen.length;
    await core.call('console.write', { session_id: session, data: 'echo rigger-was-here\r' });
    const end = Date.now() + 10_000;
    while (!seen.slice(before).join('').includes('\nrigger-was-here')) {
      if (Date.now() > end) throw new Error(`no echo: ${seen.slice(before).join('')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  });

  it('prints the environment', async () => {
    const r = await core.call('console.action', { session_id: session, action: 'printenv' });
    expect(r.env).toMatchObject({ boot_slot: 'A', bootlimit: '3' });
  });

  it('the recovery system cannot be booted when the profile names no command for it', async () => {
    await expect(
      core.call('console.action', { session_id: session, action: 'boot_recovery' }),
    ).rejects.toMatchObject({
      code: 'PROFILE_INVALID',
      details: { field: 'console.recovery_command' },
    });
    expect((await core.call('console.detect', { session_id: session })).state).toBe('uboot');
  }, 30_000);

  it('a slot switch whose saveenv fails is an error: nothing saved, no reset', async () => {
    await expect(
      core.call('console.action', { session_id: session, action: 'switch_slot', slot: 'B' }),
    ).rejects.toMatchObject({
      code: 'COMMAND_FAILED',
      message: expect.stringMatching(/could not save/),
    });
    // Still at the prompt (no reset was sent): the console answers.
    expect((await core.call('console.detect', { session_id: session })).state).toBe('uboot');
  }, 90_000);

  it('captures a debug bundle from the console: the session so far and the U-Boot environment', async () => {
    const b = await core.call('console.debug', { session_id: session });
    const out = mkdtempSync(join(tmpdir(), 'rigger-console-bundle-'));
    execFileSync('tar', ['-xzf', b.path, '-C', out]);
    expect(readFileSync(join(out, 'console', 'capture.log'), 'latin1')).toMatch(
      /U-Boot 20\d\d|Hit any key to stop autoboot/,
    );
    expect(readFileSync(join(out, 'console', 'uboot-env.txt'), 'utf8')).toMatch(/^bootlimit=3$/m);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ gateway: 'crane-7', missing: [] });
    expect(manifest.members).toEqual(['console/capture.log', 'console/uboot-env.txt']);
  }, 60_000);

  it('keeps a capture of the whole session on this laptop', async () => {
    const s = await core.call('console.detect', { session_id: session });
    await core.call('console.close', { session_id: session });
    const text = readFileSync(s.capture_path, 'latin1');
    expect(text).toMatch(/U-Boot 20\d\d|Hit any key to stop autoboot/);
    expect(text).toMatch(/Failed \(1\)/);
  });

  it('a port that does not exist is a clear error', async () => {
    await expect(core.call('console.open', { path: '/dev/ttyUSB99' })).rejects.toMatchObject({
      code: 'HOST_UNREACHABLE',
      message: expect.stringMatching(/Cannot open serial port \/dev\/ttyUSB99/),
    });
  });
});
