import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/main/core/core';
import { memorySecretStore } from '../../src/main/core/secrets';
import { startServer, type RunningServer } from '../../src/main/core/server/server';
import { startGatewaySim, type GatewaySim } from '../gateway-sim';
import { opensslEd25519 } from '../helpers/bundles';
import { addSimGateway } from '../helpers/sim-gateway';
import { startProxy } from '../integration/ota/proxy';
import { simBundle } from '../integration/ota/setup';
import { launchChromium, RENDERER, RESULTS } from './browser';

// The link dies in the middle of a write (the proxy in front of the test gateway's sshd freezes:
// nothing moves, nothing errors). The progress view must say so, not keep the last speed.
describe('browser mode, end to end: a write whose link dies, and the resume', () => {
  const work = mkdtempSync(join(tmpdir(), 'rigger-e2e-stall-'));
  let sim: GatewaySim;
  let core: Core;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let proxy: Awaited<ReturnType<typeof startProxy>>;

  beforeAll(async () => {
    sim = await startGatewaySim({ scheme: 'bootcount', booted: 'A' });
    proxy = await startProxy({ host: sim.host, port: sim.port }, { bytesPerSecond: 256 * 1024 });
    core = createCore({
      dataDir: join(work, 'data'),
      mode: 'browser',
      secrets: memorySecretStore(),
      otaTimings: {
        pollMs: 300,
        healthWaitMs: 4000,
        rebootWaitMs: 30_000,
        checkpointBytes: 256 * 1024,
        writeRetries: 2,
      },
    });
    const vendor = opensslEd25519(work);
    await core.call('keys.add', { path: vendor.pub });
    await core.call('images.import', {
      path: simBundle(work, vendor, 'v5.0.5', { size: 6 * 1024 * 1024 }).path,
    });
    await addSimGateway(core, { ...sim, port: proxy.port });
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

  it('shows the stall with speed 0, then the retries and the resume byte, then fails resumable', async () => {
    await page.getByTestId('nav-updates').click();
    const card = page.locator('[data-testid^="update-"]').filter({ hasText: 'v5.0.5' });
    await card.getByRole('button', { name: 'Install…' }).click();
    const pre = page.getByTestId('preflight');
    await pre.getByLabel('Reboot after').selectOption('5');
    await pre.getByRole('button', { name: 'Install on slot B' }).click();
    const figures = page.getByTestId('update-figures');
    await figures.getByText(/writing image · .*\/s/).waitFor({ timeout: 60_000 });

    proxy.freeze();
    const stall = page.getByTestId('update-stall');
    await stall.waitFor({ timeout: 10_000 });
    expect(await stall.textContent()).toMatch(/No data from gw for \d+ s · speed 0 B\/s/);
    expect(await figures.textContent()).toMatch(/speed 0 B\/s/);
    expect(await figures.textContent()).not.toMatch(/ETA/);
    await page.screenshot({ path: join(RESULTS, 'e2e-update-stalled.png') });

    await stall.getByText(/Link lost: retrying 1 of 2, will resume at byte [\d,]+/).waitFor({
      timeout: 60_000,
    });
    expect(await stall.textContent()).toMatch(/Check the network cable/);
    await page.screenshot({ path: join(RESULTS, 'e2e-update-link-lost.png') });

    const result = page.getByTestId('update-result');
    await result.waitFor({ timeout: 120_000 });
    expect(await page.getByRole('heading', { level: 2 }).first().textContent()).toBe(
      'The update of gw to v5.0.5 did not finish',
    );
    expect(await result.textContent()).toMatch(/kept dropping/);
    expect(await result.getByTestId('resume-hint').textContent()).toMatch(
      /then installs v5\.0\.5 as asked/,
    );
    await page.screenshot({ path: join(RESULTS, 'e2e-update-failed-resumable.png') });
  }, 300_000);

  it('Resume goes on and installs; a cancel asked meanwhile says plainly when it is too late', async () => {
    proxy.thaw();
    await page.getByTestId('update-result').getByRole('button', { name: 'Resume' }).click();
    const view = page.getByTestId('update-progress');
    await view.getByText('Installing v5.0.5 on gw').waitFor();
    await view.getByRole('button', { name: 'Cancel the update…' }).click();
    await page.getByTestId('cancel-ask').waitFor();
    // Not answered: the job writes on, installs and switches the slot.
    await page.getByTestId('cancel-too-late').waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('cancel-too-late').textContent()).toMatch(
      /Cancelling is no longer possible.*switches gw to slot B/,
    );
    await page.screenshot({ path: join(RESULTS, 'e2e-update-cancel-too-late.png') });
    await page.getByTestId('update-result').waitFor({ timeout: 120_000 });
    expect(await view.getByRole('heading', { level: 2 }).textContent()).toBe(
      'Done: gw runs v5.0.5',
    );
    await page.screenshot({ path: join(RESULTS, 'e2e-update-resumed-done.png') });
    const s = await core.gateways.status('gw', 'pinned-only');
    expect(s.boot?.booted_slot).toBe('B');
  }, 300_000);
});
