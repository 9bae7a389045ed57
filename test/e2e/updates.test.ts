import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/main/core/core';
import { memorySecretStore } from '../../src/main/core/secrets';
import { startServer, type RunningServer } from '../../src/main/core/server/server';
import { SAFE_SIGNALS, startGatewaySim, type GatewaySim } from '../gateway-sim';
import { opensslEd25519 } from '../helpers/bundles';
import { addSimGateway } from '../helpers/sim-gateway';
import { startProxy } from '../integration/ota/proxy';
import { simBundle } from '../integration/ota/setup';
import { launchChromium, RENDERER, RESULTS } from './browser';

describe('browser mode, end to end: install an update from the UI', () => {
  const work = mkdtempSync(join(tmpdir(), 'rigger-e2e-upd-'));
  let sim: GatewaySim;
  let core: Core;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let vendor: { key: string; pub: string };
  let proxy: Awaited<ReturnType<typeof startProxy>> | undefined;

  beforeAll(async () => {
    sim = await startGatewaySim({ scheme: 'bootcount', booted: 'A' });
    core = createCore({
      dataDir: join(work, 'data'),
      mode: 'browser',
      secrets: memorySecretStore(),
      otaTimings: {
        pollMs: 300,
        healthWaitMs: 4000,
        rebootWaitMs: 30_000,
        checkpointBytes: 512 * 1024,
      },
    });
    vendor = opensslEd25519(work);
    await core.call('keys.add', { path: vendor.pub });
    await addSimGateway(core, sim);
    server = await startServer({ core, staticDir: RENDERER });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(server.openUrl);
  });
  afterAll(async () => {
    await browser?.close();
    await proxy?.stop();
    await server?.close();
    await core?.close();
    await sim?.stop();
  });

  it('imports a signed bundle in Images', async () => {
    const bundle = simBundle(work, vendor, 'v5.0.5', { size: 24 * 1024 * 1024 });
    await page.getByTestId('nav-images').click();
    await page.getByLabel(/File on this laptop/).fill(bundle.path);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const row = page.getByTestId('image-sim-v5.0.5-ok');
    await row.waitFor({ timeout: 60_000 });
    expect(await row.textContent()).toContain('verified');
  });

  it('offers the image, shows the preflight, installs with live progress and a plain result', async () => {
    await page.getByTestId('nav-updates').click();
    const card = page.locator('[data-testid^="update-"]').filter({ hasText: 'v5.0.5' });
    await card.waitFor();
    await card.getByRole('button', { name: 'Install…' }).click();
    const pre = page.getByTestId('preflight');
    await pre.getByText('Safe to update').waitFor();
    await pre.getByText(/Slot B will be written/).waitFor();
    const facts = await pre.getByTestId('preflight-facts').textContent();
    expect(facts).toMatch(/Booted nowSlot A · v5\.0\.4/);
    expect(facts).toMatch(/WrittenSlot B · now holds .* replaced by v5\.0\.5/);
    expect(facts).toMatch(/Signature\s*verified/);
    expect(facts).toMatch(/Maintenance windownot set/);
    expect(await pre.getByTestId('signal-crane_motion').textContent()).toMatch(
      /OK.*Crane motion.*idle/,
    );
    await page.screenshot({ path: join(RESULTS, 'e2e-update-preflight.png') });
    // A short reboot delay, so the countdown the core announces is seen.
    await pre.getByLabel('Reboot after').selectOption('5');
    await pre.getByRole('button', { name: 'Install on slot B' }).click();
    await page.getByTestId('update-progress').waitFor();
    await page.getByTestId('update-figures').getByText(/% ·/).waitFor();
    await page.screenshot({ path: join(RESULTS, 'e2e-update-progress.png') });
    const countdown = page.getByTestId('reboot-countdown');
    await countdown.waitFor({ timeout: 90_000 });
    expect(await countdown.textContent()).toMatch(/gw reboots in \d s/);
    await page.screenshot({ path: join(RESULTS, 'e2e-update-countdown.png') });
    const result = page.getByTestId('update-result');
    await result.waitFor({ timeout: 90_000 });
    expect(await result.textContent()).toMatch(
      /runs v5\.0\.5 from slot B: booted, healthy, committed/,
    );
    await page.screenshot({ path: join(RESULTS, 'e2e-update-result.png') });
    const s = await core.gateways.status('gw', 'pinned-only');
    expect(s.boot?.booted_slot).toBe('B');
  });

  it('lists the job in Jobs, finished', async () => {
    await page.getByTestId('nav-jobs').click();
    const row = page.locator('[data-testid^="job-OTA-JOB-"]').filter({ hasText: 'v5.0.5' }).first();
    await row.waitFor();
    await row.getByText('success').waitFor();
    await page.screenshot({ path: join(RESULTS, 'e2e-jobs.png') });
  });

  it('shows it in History with the statistics and the chart', async () => {
    await page.getByTestId('nav-history').click();
    const stats = page.getByTestId('history-stats');
    await stats.getByText('100%').waitFor();
    await page.getByTestId('history-chart').waitFor();
    expect(await page.getByTestId('history-table').textContent()).toMatch(/v5\.0\.5.*committed/);
    await page.screenshot({ path: join(RESULTS, 'e2e-history.png') });
  });

  it('a moving crane blocks the install; the PIN override lifts it, and says for how long', async () => {
    // The PIN is set in Settings, as a site lead would.
    await page.getByTestId('nav-settings').click();
    await page.getByLabel('New PIN (4 to 12 digits)').fill('7392');
    await page.getByLabel('New PIN again').fill('7392');
    await page.getByRole('button', { name: 'Set the PIN' }).click();
    await page.getByText('PIN set.').waitFor();
    await core.call('images.import', { path: simBundle(work, vendor, 'v5.0.6').path });
    await sim.setSafety({ ...SAFE_SIGNALS, crane_motion: { status: 'moving' } });
    await page.getByTestId('nav-updates').click();
    // The last result stays until it is acknowledged.
    await page.getByTestId('update-result').getByRole('button', { name: 'Done' }).click();
    const card = page.locator('[data-testid^="update-"]').filter({ hasText: 'v5.0.6' });
    await card.waitFor();
    await card.getByRole('button', { name: 'Install…' }).click();
    const pre = page.getByTestId('preflight');
    await pre.getByText('Not safe to update now').waitFor();
    expect(await pre.getByRole('button', { name: /Install on slot/ }).isDisabled()).toBe(true);
    await page.screenshot({ path: join(RESULTS, 'e2e-update-blocked.png') });
    await pre.getByRole('button', { name: 'Override with PIN…' }).click();
    const dialog = page.getByTestId('override-dialog');
    await dialog.getByLabel('Why (recorded)').fill('Crane parked, motion sensor faulty');
    await dialog.getByLabel('PIN').fill('0000');
    await dialog.getByRole('checkbox', { name: /I have checked on site/ }).check();
    await dialog.getByRole('button', { name: 'Override' }).click();
    await dialog.getByText('Wrong PIN').waitFor();
    await dialog.getByLabel('PIN').fill('7392');
    await dialog.getByRole('button', { name: 'Override' }).click();
    await pre.getByText(/override active: crane_motion/).waitFor();
    expect(await pre.getByTestId('override-until').textContent()).toMatch(/\(10 min left\)/);
    await page.screenshot({ path: join(RESULTS, 'e2e-update-override.png') });
    expect(await pre.getByRole('button', { name: 'Install on slot A' }).isDisabled()).toBe(false);
    await pre.getByRole('button', { name: 'Cancel' }).click();
    await sim.setSafety(SAFE_SIGNALS);
  });

  it('outside the maintenance window set in Settings, the install needs an explicit yes', async () => {
    const later = new Date(Date.now() + 2 * 3600_000);
    const hhmm = `${String(later.getHours()).padStart(2, '0')}:${String(later.getMinutes()).padStart(2, '0')}`;
    await page.getByTestId('nav-settings').click();
    const section = page.getByTestId('settings-maintenance_window');
    await section.getByLabel('Enabled').check();
    await section.getByLabel('Time').fill(hhmm);
    // One Save for the whole page; it says exactly what changed.
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page
      .getByTestId('settings-saved')
      .getByText(/maintenance_window\.enabled off → on/)
      .waitFor();
    await page.screenshot({ path: join(RESULTS, 'e2e-settings.png'), fullPage: true });
    await page.getByTestId('nav-updates').click();
    const card = page.locator('[data-testid^="update-"]').filter({ hasText: 'v5.0.6' });
    await card.getByRole('button', { name: 'Install…' }).click();
    const pre = page.getByTestId('preflight');
    await pre.getByText('Outside the maintenance window').waitFor();
    const go = pre.getByRole('button', { name: 'Install on slot A' });
    expect(await go.isDisabled()).toBe(true);
    await pre.getByLabel('Install now anyway (recorded)').check();
    expect(await go.isDisabled()).toBe(false);
    await pre.getByRole('button', { name: 'Cancel' }).click();
  });
  it('a slow write: a reload finds it again, and Jobs cancels it after asking', async () => {
    // The same test gateway behind a slow link, registered as a second gateway.
    proxy = await startProxy({ host: sim.host, port: sim.port }, { bytesPerSecond: 64 * 1024 });
    await addSimGateway(core, { ...sim, port: proxy.port }, { name: 'gw-slow' });
    await page.getByTestId('nav-updates').click();
    await page.getByTestId('updates-gateway').selectOption('gw-slow');
    await page.getByRole('heading', { name: 'Updates for gw-slow' }).waitFor();
    const card = page.locator('[data-testid^="update-"]').filter({ hasText: 'v5.0.6' });
    await card.getByRole('button', { name: 'Install…' }).click();
    const pre = page.getByTestId('preflight');
    // The maintenance window set above is still closed.
    await pre.getByLabel('Install now anyway (recorded)').check();
    await pre.getByRole('button', { name: 'Install on slot A' }).click();
    const figures = page.getByTestId('update-figures');
    await figures.getByText(/writing image/).waitFor({ timeout: 60_000 });

    // Closing the page (a reload) loses nothing: the write is found and followed again.
    await page.reload();
    const view = page.getByTestId('update-progress');
    await view.getByText('Installing v5.0.6 on gw-slow').waitFor();
    await figures.getByText(/writing image/).waitFor();
    await page.screenshot({ path: join(RESULTS, 'e2e-update-reattached.png') });

    await page.getByTestId('nav-jobs').click();
    await page.getByTestId('jobs-gateway').selectOption('gw-slow');
    const row = page
      .locator('[data-testid^="job-OTA-JOB-"]')
      .filter({ hasText: 'gw-slow' })
      .first();
    await row.locator('.status', { hasText: 'downloading' }).waitFor();
    await row.getByRole('button', { name: 'Cancel…' }).click();
    const ask = page.getByTestId('cancel-dialog');
    await ask.getByText(/stops now/).waitFor();
    await page.screenshot({ path: join(RESULTS, 'e2e-jobs-cancel.png') });
    await ask.getByRole('button', { name: 'Cancel the job' }).click();
    await row.locator('.status', { hasText: 'cancelled' }).waitFor({ timeout: 60_000 });
    await page.getByText(/Job cancelled successfully/).waitFor({ timeout: 30_000 });
    expect(await row.textContent()).not.toMatch(/Install…|Resume/);
    await page.screenshot({ path: join(RESULTS, 'e2e-jobs-cancelled.png') });

    // The Updates page says so in plain words; the gateway still runs slot B.
    await page.getByTestId('nav-updates').click();
    await page.getByTestId('updates-gateway').selectOption('gw-slow');
    const result = page.getByTestId('update-result');
    await result.getByText('Cancelled', { exact: true }).waitFor({ timeout: 30_000 });
    expect(await result.textContent()).toMatch(/Nothing was switched: gw-slow keeps running/);
    await page.screenshot({ path: join(RESULTS, 'e2e-update-cancelled.png') });
    const s = await core.gateways.status('gw-slow', 'pinned-only');
    expect(s.boot?.booted_slot).toBe('B');
    expect(s.boot?.slots.A.bootable).toBe(false);
  });
});
