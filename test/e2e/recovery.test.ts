import { mkdtempSync } from 'node:fs';
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

describe('browser mode, end to end: the Recovery page', () => {
  let sim: GatewaySim;
  let core: Core;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    sim = await startGatewaySim({
      scheme: 'rauc',
      booted: 'A',
      versions: { A: 'v5.0.5', B: 'v5.0.4' },
    });
    core = createCore({
      dataDir: mkdtempSync(join(tmpdir(), 'rigger-e2e-rec-')),
      mode: 'browser',
      secrets: memorySecretStore(),
      otaTimings: { pollMs: 300, healthWaitMs: 4000, rebootWaitMs: 30_000 },
    });
    await addSimGateway(core, sim);
    server = await startServer({ core, staticDir: RENDERER });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(server.openUrl);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await core?.close();
    await sim?.stop();
  });

  it('takes a snapshot from the page and lists it', async () => {
    await page.getByTestId('nav-recovery').click();
    await page.getByTestId('recovery-gateway').selectOption('gw');
    await page.getByTestId('take-snapshot').click();
    await page
      .getByTestId('recovery-result')
      .getByText(/Taking a snapshot: done/)
      .waitFor({ timeout: 30_000 });
    // Snapshots are backups: their ids are backup ids.
    const rows = page.locator('[data-testid^="snapshot-backup_"]');
    await rows.first().waitFor();
    expect(await rows.first().textContent()).toContain('v5.0.5');
  });

  it('rolls back after saying what will change, and shows the result', async () => {
    await page.getByTestId('rollback').click();
    const dialog = page.getByTestId('rollback-dialog');
    await dialog.getByText(/switches to slot B \(v5\.0\.4\)/).waitFor();
    const go = dialog.getByRole('button', { name: 'Roll back to slot B' });
    expect(await go.isDisabled()).toBe(true);
    await dialog.getByLabel('Why (recorded)').fill('v5.0.5 loses PLC polls');
    await page.screenshot({ path: join(RESULTS, 'e2e-recovery-rollback-dialog.png') });
    await go.click();
    // Named steps and the whole job's progress, as an update shows them.
    const running = page.getByTestId('recovery-running');
    await running
      .getByText(/Rolling back · \d+% · step 3 of 4: Reboot/)
      .waitFor({ timeout: 60_000 });
    await page.screenshot({ path: join(RESULTS, 'e2e-recovery-rollback-steps.png') });
    await page
      .getByTestId('recovery-result')
      .getByText(/Rolling back: done/)
      .waitFor({ timeout: 60_000 });
    // The result comes with the state read after the rollback: never the old offer.
    expect(await page.getByRole('button', { name: 'Roll back to slot B' }).count()).toBe(0);
    const s = await core.gateways.status('gw', 'pinned-only');
    expect(s.boot?.booted_slot).toBe('B');
    // Now the way back is to slot A.
    await page.getByRole('button', { name: 'Roll back to slot A' }).waitFor();
    await page.screenshot({ path: join(RESULTS, 'e2e-recovery.png'), fullPage: true });
  });

  it('a factory reset cannot start until the name is typed and a PIN given', async () => {
    await page.getByTestId('factory-reset').click();
    const dialog = page.getByTestId('factory-dialog');
    const erase = dialog.getByRole('button', { name: 'Erase gw' });
    await dialog.getByLabel('Why (recorded)').fill('Back to factory state');
    await dialog.getByLabel('PIN').fill('1234');
    expect(await erase.isDisabled()).toBe(true);
    await dialog.getByLabel('Type gw to confirm').fill('g');
    expect(await erase.isDisabled()).toBe(true);
    await dialog.getByLabel('Type gw to confirm').fill('gw');
    expect(await erase.isDisabled()).toBe(false);
    await page.screenshot({ path: join(RESULTS, 'e2e-recovery-factory-dialog.png') });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await dialog.count()).toBe(0);
  });
});
