import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/main/core/core';
import { memorySecretStore } from '../../src/main/core/secrets';
import { startServer, type RunningServer } from '../../src/main/core/server/server';
import { startGatewaySim, type GatewaySim } from '../gateway-sim';
import { addSimGateway } from '../helpers/sim-gateway';
import { launchChromium, RENDERER, RESULTS } from './browser';

describe('browser mode, end to end: the Backups page', () => {
  let sim: GatewaySim;
  let core: Core;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    process.env.RIGGER_BACKUP_PASSPHRASE = 'e2e backup passphrase';
    sim = await startGatewaySim({ slotSize: 8 * 1024 * 1024 });
    core = createCore({
      dataDir: mkdtempSync(join(tmpdir(), 'rigger-e2e-bk-')),
      mode: 'browser',
      secrets: memorySecretStore(),
    });
    await addSimGateway(core, sim);
    server = await startServer({ core, staticDir: RENDERER });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await page.goto(server.openUrl);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await core?.close();
    await sim?.stop();
    delete process.env.RIGGER_BACKUP_PASSPHRASE;
  });

  it('creates an encrypted backup and sees it verified', async () => {
    await page.getByTestId('nav-backup').click();
    await page.getByTestId('backup-gateway').selectOption('gw');
    await page.getByTestId('create-backup').click();
    const dialog = page.getByTestId('create-backup-dialog');
    await dialog.getByLabel('Name').fill('before_maintenance');
    await page.screenshot({ path: join(RESULTS, 'e2e-backups-create-dialog.png') });
    await dialog.getByTestId('create-backup-start').click();
    await page
      .getByTestId('backup-operation')
      .getByText(/success/)
      .waitFor({ timeout: 60_000 });
    const row = page.locator('[data-testid^="backup-row-"]').first();
    await row.getByTestId('backup-integrity').getByText('verified').waitFor();
    expect(await row.textContent()).toContain('Encrypted');
    expect(await page.getByTestId('backup-encryption').textContent()).toMatch(/AES-256/);
    await page.screenshot({ path: join(RESULTS, 'e2e-backups.png'), fullPage: true });
  });

  it('previews and runs a recovery after a file was changed on the gateway', async () => {
    const conf = join(sim.root, 'data', 'config', 'crane.conf');
    const original = readFileSync(conf, 'utf8');
    writeFileSync(conf, 'corrupted\n');
    const row = page.locator('[data-testid^="backup-row-"]').first();
    await row.getByRole('button', { name: 'Restore preview' }).click();
    const dialog = page.getByTestId('recovery-dialog');
    await dialog
      .getByTestId('recovery-preview')
      .getByText(/config will change/)
      .waitFor();
    await dialog.getByText(/1 file\(s\) will be replaced/).waitFor();
    const go = dialog.getByTestId('recovery-start');
    expect(await go.isDisabled()).toBe(true);
    await dialog.getByLabel('Type gw to confirm').fill('gw');
    await page.screenshot({ path: join(RESULTS, 'e2e-backups-recovery-preview.png') });
    await go.click();
    await page
      .getByTestId('backup-operation')
      .getByText(/Recovery from .*success/)
      .waitFor({ timeout: 60_000 });
    expect(readFileSync(conf, 'utf8')).toBe(original);
    await page.screenshot({ path: join(RESULTS, 'e2e-backups-recovered.png'), fullPage: true });
  });
});
