import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/main/core/core';
import { memorySecretStore } from '../../src/main/core/secrets';
import { startServer, type RunningServer } from '../../src/main/core/server/server';
import { startQemuUboot, type QemuUboot } from '../helpers/qemu-uboot';
import { launchChromium, RENDERER, RESULTS } from './browser';

describe('browser mode, end to end: the Console page on U-Boot in QEMU', () => {
  let qemu: QemuUboot;
  let core: Core;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    qemu = await startQemuUboot({
      boot_slot: 'B',
      upgrade_available: '1',
      bootcount: '3',
      bootlimit: '3',
    });
    core = createCore({
      dataDir: mkdtempSync(join(tmpdir(), 'rigger-e2e-console-')),
      mode: 'browser',
      secrets: memorySecretStore(),
    });
    server = await startServer({ core, staticDir: RENDERER });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(server.openUrl);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await core?.close();
    await qemu?.stop();
  });

  it("connects, shows U-Boot's output in the terminal, stops autoboot and prints the environment", async () => {
    await page.getByTestId('nav-console').click();
    await page.getByLabel('Port').fill(qemu.pty);
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.getByTestId('console-state').waitFor({ timeout: 30_000 });
    // Rigger listens, then sends a newline when it hears nothing: during the countdown that
    // key stops autoboot too. Either way the next state is the prompt.
    const stop = page.getByRole('button', { name: 'Stop autoboot' });
    if (await stop.isVisible()) await stop.click({ timeout: 3000 }).catch(() => undefined);
    await page
      .getByTestId('console-state')
      .getByText('At the U-Boot prompt')
      .waitFor({ timeout: 60_000 });
    await page.getByTestId('terminal').getByText('=>').first().waitFor();
    await page.getByRole('button', { name: 'Print environment' }).click();
    const env = page.getByTestId('console-env');
    await env.waitFor({ timeout: 30_000 });
    expect(await env.textContent()).toMatch(/boot_slotB/);
    await page.getByTestId('terminal').getByText('boot_slot=B').waitFor();
    await page.getByTestId('terminal').getByText('boot_slot=B').waitFor();
    await page.screenshot({ path: join(RESULTS, 'e2e-console.png') });
  }, 120_000);

  it('captures a debug bundle from the console and says where it is', async () => {
    await page.getByText(/read-only meanwhile/).waitFor({ state: 'detached', timeout: 30_000 });
    await page.getByTestId('console-bundle').click();
    await page
      .getByText(/Debug bundle saved: .*debug-console-.*\.tar\.gz/)
      .waitFor({ timeout: 30_000 });
  }, 60_000);

  it('types into U-Boot from the terminal', async () => {
    // Typing waits while an action drives the console.
    await page.getByText(/read-only meanwhile/).waitFor({ state: 'detached', timeout: 30_000 });
    await page.getByTestId('terminal').click();
    await page.keyboard.type('echo typed-in-rigger\r');
    await page
      .getByTestId('terminal')
      .getByText('typed-in-rigger')
      .nth(1)
      .waitFor({ timeout: 15_000 });
  }, 30_000);

  it('an adapter plugged in shows a banner that opens the console', async () => {
    await page.getByTestId('nav-gateways').click();
    // What the core's port watch emits when the USB bus reports an FTDI cable (no USB here).
    core.events.emit({
      type: 'system_event',
      event: 'serial_adapter_connected',
      message: 'USB serial adapter connected: FTDI FT232R on /dev/ttyUSB0',
      timestamp: new Date().toISOString(),
      port: '/dev/ttyUSB0',
    });
    const banner = page.getByTestId('adapter-banner');
    await banner.getByText(/FTDI FT232R on \/dev\/ttyUSB0/).waitFor();
    await banner.getByRole('link', { name: 'Open console on /dev/ttyUSB0?' }).click();
    await page.getByRole('heading', { name: 'Console' }).waitFor();
    expect(await banner.count()).toBe(0);
  });
});
