import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/main/core/core';
import { memorySecretStore } from '../../src/main/core/secrets';
import { startServer, type RunningServer } from '../../src/main/core/server/server';
import { GATEWAY_IP, LAPTOP_IP, startUbootNet, type UbootNet } from '../helpers/uboot-net';
import { launchChromium, RENDERER, RESULTS } from './browser';

const MiB = 1024 * 1024;
const START_B = (16 * MiB) / 512;

/**
 * The Console page flashing a slot into real U-Boot under QEMU (its network a tap in a
 * namespace the test makes): over TFTP when asked, with the path, chunk progress and the proof
 * shown; and automatically, where this U-Boot ignores tftpdstp, over YMODEM saying why.
 */
describe('browser mode, end to end: a flash from the Console page', () => {
  let board: UbootNet;
  let core: Core;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  const diskAt = (length: number) => {
    const fd = openSync(board.disk, 'r');
    const b = Buffer.alloc(length);
    readSync(fd, b, 0, length, START_B * 512);
    closeSync(fd);
    return b;
  };

  beforeAll(async () => {
    board = await startUbootNet({
      diskMiB: 64,
      env: { boot_slot: 'A', upgrade_available: '0', bootcount: '0', bootlimit: '3' },
    });
    const dataDir = mkdtempSync(join(tmpdir(), 'rigger-e2e-cflash-'));
    const profile = JSON.parse(
      readFileSync(join(__dirname, '../../resources/profiles/univa-gw-pro.json'), 'utf8'),
    );
    profile.name = 'qemu-net-board';
    profile.console = {
      ...profile.console,
      block_command: 'virtio',
      block_device: '0',
      slot_start_block: { A: 2048, B: START_B },
      max_load_bytes: 4 * MiB,
      net: { gateway_ip: GATEWAY_IP, laptop_ip: LAPTOP_IP, netmask: '255.255.255.0' },
    };
    mkdirSync(join(dataDir, 'profiles'));
    writeFileSync(join(dataDir, 'profiles', 'qemu-net-board.json'), JSON.stringify(profile));
    core = createCore({
      dataDir,
      mode: 'browser',
      secrets: memorySecretStore(),
      consoleChunkServer: (_net, port) => board.startTftp({}, { port }),
    });
    await core.call('gateways.add', {
      name: 'crane-console',
      profile: 'qemu-net-board',
      connection: { type: 'serial', port: board.pty },
    });
    server = await startServer({ core, staticDir: RENDERER });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await page.goto(server.openUrl);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await core?.close();
    await board?.stop();
  });

  const importImage = async (image: Buffer, version: string) => {
    const file = join(board.dir, `${version}.img`);
    writeFileSync(file, image);
    return (await core.call('images.import', { path: file, unsigned: true, version })).id;
  };

  it('flashes over TFTP when asked, showing the path, the chunks and the proof', async () => {
    const image = Buffer.concat([randomBytes(1 * MiB), Buffer.alloc(5 * MiB, 'crane rootfs ')]);
    await importImage(image, 'v7.0.0-tftp');
    await page.getByTestId('nav-console').click();
    await page.getByLabel('Port').fill(board.pty);
    await page.getByLabel('Gateway (for its boot scheme)').selectOption('crane-console');
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.getByTestId('console-state').waitFor({ timeout: 30_000 });
    const stop = page.getByRole('button', { name: 'Stop autoboot' });
    if (await stop.isVisible()) await stop.click({ timeout: 3000 }).catch(() => undefined);
    await page
      .getByTestId('console-state')
      .getByText('At the U-Boot prompt')
      .waitFor({ timeout: 60_000 });
    await page
      .getByLabel('Image', { exact: true })
      .selectOption({ label: 'v7.0.0-tftp (unsigned)' });
    await page.getByLabel('Slot', { exact: true }).selectOption('B');
    await page.getByRole('radio', { name: 'TFTP' }).check();
    // Debian's U-Boot 2023.01 ignores tftpdstp: this board needs the laptop on port 69.
    await page.getByLabel('TFTP port').fill('');
    await page.getByLabel('Allow an unsigned image (audited)').check();
    await page.getByRole('button', { name: 'Flash slot B' }).click();
    const path = page.getByTestId('console-flash-path');
    await path.getByText(/Path: TFTP — TFTP: .*laptop port 69/).waitFor({ timeout: 60_000 });
    await page
      .getByText('Slot written and read back chunk by chunk.')
      .waitFor({ timeout: 180_000 });
    await page.screenshot({ path: join(RESULTS, 'e2e-console-flash-tftp.png') });
    expect(diskAt(image.length).equals(image)).toBe(true);
  }, 300_000);

  it('chooses automatically: TFTP cannot reach this U-Boot on an unprivileged port, so YMODEM, saying why', async () => {
    const image = Buffer.concat([randomBytes(4096), Buffer.alloc(16 * 1024, 'crane rootfs ')]);
    await importImage(image, 'v7.0.1-auto');
    await page.getByRole('button', { name: 'Flash again' }).click();
    await page
      .getByLabel('Image', { exact: true })
      .selectOption({ label: 'v7.0.1-auto (unsigned)' });
    await page.getByRole('radio', { name: 'Automatic' }).check();
    await page.getByLabel('TFTP port').fill('6969');
    await page.getByLabel('Allow an unsigned image (audited)').check();
    await page.getByRole('button', { name: 'Flash slot B' }).click();
    await page
      .getByText('Slot written and read back chunk by chunk.')
      .waitFor({ timeout: 180_000 });
    const path = page.getByTestId('console-flash-path');
    expect(await path.textContent()).toMatch(
      /Path: YMODEM — YMODEM over the console: .*port 6969.*ignores tftpdstp/,
    );
    await page.screenshot({ path: join(RESULTS, 'e2e-console-flash-auto.png') });
    expect(diskAt(image.length).equals(image)).toBe(true);
  }, 300_000);
});
