import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/main/core/core';
import { memorySecretStore } from '../../src/main/core/secrets';
import { startServer, type RunningServer } from '../../src/main/core/server/server';
import { startQemuUboot, type QemuUboot } from '../helpers/qemu-uboot';
import { launchChromium, RENDERER, RESULTS } from './browser';

/** A bricked gateway added by its console port on the Gateways page: U-Boot in QEMU. */
describe('browser mode, end to end: a gateway on its serial console', () => {
  let qemu: QemuUboot;
  let core: Core;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    // A one-second countdown, then the bootcmd fails and U-Boot waits at its prompt.
    qemu = await startQemuUboot({
      bootdelay: '1',
      boot_slot: 'B',
      upgrade_available: '0',
      bootcount: '0',
      bootlimit: '3',
    });
    const dataDir = mkdtempSync(join(tmpdir(), 'rigger-e2e-serial-'));
    const profile = JSON.parse(
      readFileSync(join(__dirname, '../../resources/profiles/univa-gw-pro.json'), 'utf8'),
    );
    profile.name = 'qemu-board';
    mkdirSync(join(dataDir, 'profiles'));
    writeFileSync(join(dataDir, 'profiles', 'qemu-board.json'), JSON.stringify(profile));
    core = createCore({ dataDir, mode: 'browser', secrets: memorySecretStore() });
    server = await startServer({ core, staticDir: RENDERER });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await core?.close();
    await qemu?.stop();
  });

  it('adds it by its console port, with the port asked for first', async () => {
    await page.goto(server.openUrl);
    await page.getByRole('button', { name: 'Add gateway' }).click();
    await page.getByLabel('Name').fill('crane-9');
    await page.getByLabel('Profile').selectOption('qemu-board');
    await page.getByLabel('Serial console (USB-to-serial adapter)').check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('enter the port').waitFor();
    await page.getByLabel('Console port').fill(qemu.pty);
    await page.screenshot({ path: join(RESULTS, 'e2e-add-serial-gateway.png') });
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('gateway-card-crane-9').waitFor();
    expect((await core.call('gateways.get', { name: 'crane-9' })).connection).toMatchObject({
      type: 'serial',
      port: qemu.pty,
      baud: 115200,
      auth: { method: 'none' },
    });
  }, 60_000);

  it('shows it at U-Boot: nothing booted, slot B boots next, Linux figures unknown', async () => {
    await page.getByTestId('connect-crane-9').click();
    await page.getByTestId('gateway-status').getByText('bootloader').waitFor({ timeout: 30_000 });
    await page.getByTestId('slot-B-next-boot').waitFor();
    expect(await page.getByTestId('slot-A-booted').count()).toBe(0);
    expect(await page.getByTestId('slot-B-booted').count()).toBe(0);
    await expect(
      page
        .getByText(/At the U-Boot prompt/)
        .first()
        .isVisible(),
    ).resolves.toBe(true);
    await page.screenshot({ path: join(RESULTS, 'e2e-serial-gateway-uboot.png'), fullPage: true });
  }, 60_000);
  it("opens its console from the overview, on the gateway's own port (shared, not refused as busy)", async () => {
    await page.getByTestId('open-console').click();
    await page.getByRole('heading', { name: 'Console' }).waitFor();
    expect(await page.getByLabel('Port').inputValue()).toBe(qemu.pty);
    await page.getByRole('button', { name: 'Connect' }).click();
    await page
      .getByTestId('console-state')
      .getByText('At the U-Boot prompt')
      .waitFor({ timeout: 30_000 });
    await page.getByTestId('terminal').getByText('=>').first().waitFor();
    await page.screenshot({ path: join(RESULTS, 'e2e-serial-gateway-console.png') });
  }, 60_000);
  it('asks before switching the boot slot, and shows a failing saveenv as an error', async () => {
    await page.getByRole('button', { name: 'Boot slot A from now on' }).click();
    const confirm = page.getByTestId('console-confirm');
    await confirm.getByText(/The other slot is made unbootable/).waitFor();
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    expect(await confirm.count()).toBe(0);
    await page.getByRole('button', { name: 'Boot slot A from now on' }).click();
    await page.screenshot({ path: join(RESULTS, 'e2e-serial-gateway-confirm.png') });
    await confirm.getByRole('button', { name: 'Save and reset' }).click();
    // This emulated board cannot save its environment: said as an error, nothing reset.
    await page
      .getByText(/could not save its environment/)
      .first()
      .waitFor({ timeout: 60_000 });
    const status = await core.gateways.status('crane-9', 'pinned-only');
    expect(status.boot?.env.boot_slot).toBe('B');
  }, 120_000);
});
