import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/main/core/core';
import { memorySecretStore } from '../../src/main/core/secrets';
import { startServer, type RunningServer } from '../../src/main/core/server/server';
import { startGatewaySim, type GatewaySim } from '../gateway-sim';
import { launchChromium, RENDERER, RESULTS } from './browser';

describe('browser mode, end to end: add the test gateway and see its slots', () => {
  let sim: GatewaySim;
  let core: Core;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    sim = await startGatewaySim({
      scheme: 'bootcount',
      booted: 'A',
      versions: { A: 'v5.0.4', B: 'v5.0.3' },
    });
    const dataDir = mkdtempSync(join(tmpdir(), 'rigger-e2e-'));
    // The sim's profile is a user profile, as a site's own would be.
    mkdirSync(join(dataDir, 'profiles'));
    copyFileSync(sim.profilePath, join(dataDir, 'profiles', 'univa-gw-sim.json'));
    core = createCore({ dataDir, mode: 'browser', secrets: memorySecretStore() });
    server = await startServer({ core, staticDir: RENDERER });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await core?.close();
    await sim?.stop();
  });

  it('refuses the API without the token', async () => {
    const res = await fetch(`${server.url}api/call/gateways.list`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(401);
  });

  it('adds the gateway through the form, with field errors first', async () => {
    await page.goto(server.openUrl);
    await page.getByRole('heading', { name: 'Gateways' }).waitFor();
    expect(page.url()).not.toContain('token=');
    await page.getByRole('button', { name: 'Add gateway' }).click();
    await page.getByRole('button', { name: 'Test connection' }).click();
    await expect(
      page
        .getByText(/must not be empty|use 1-64 letters/)
        .first()
        .isVisible(),
    ).resolves.toBe(true);
    await page.getByLabel('Name').fill('crane-7');
    await page.getByLabel('Profile').selectOption('univa-gw-sim');
    await page.getByLabel('SSH host').fill(sim.host);
    await page.getByLabel('Port').fill(String(sim.port));
    await page.getByLabel('User', { exact: true }).fill(sim.user);
    await page.getByLabel('Private key file').fill(sim.keyFile);
    await page.screenshot({ path: join(RESULTS, 'e2e-add-gateway.png') });
    // Saved untested: the first Connect then asks about the host key (the next test).
    await page.getByRole('button', { name: 'Save without testing' }).click();
    await page.getByTestId('gateway-card-crane-7').waitFor();
    await page.screenshot({ path: join(RESULTS, 'e2e-gateways.png') });
  });

  it('connects, shows the first host key, and after trust shows slots A and B with their versions', async () => {
    await page.getByTestId('gateway-card-crane-7').getByRole('link', { name: 'Connect' }).click();
    const offered = page.getByTestId('offered-fingerprint');
    await offered.waitFor();
    expect(await offered.textContent()).toBe(sim.hostKeyFingerprint);
    await page.screenshot({ path: join(RESULTS, 'e2e-host-key.png') });
    await page.getByRole('button', { name: 'Trust and connect' }).click();
    await page.getByTestId('slot-A-version').getByText('v5.0.4').waitFor();
    expect(await page.getByTestId('slot-B-version').textContent()).toBe('v5.0.3');
    expect(await page.getByTestId('slot-A').textContent()).toContain('BOOTED');
    expect(await page.getByText('Univa-GW-Sim-01 (univa-gw-sim-01)').isVisible()).toBe(true);
    await page.screenshot({ path: join(RESULTS, 'e2e-gateway-overview.png'), fullPage: true });
    expect((await core.call('gateways.get', { name: 'crane-7' })).host_key?.fingerprint).toBe(
      sim.hostKeyFingerprint,
    );
  });

  it('captures a debug bundle from the overview and says where it is', async () => {
    await page.getByTestId('debug-bundle').click();
    const result = page.getByTestId('debug-bundle-result');
    await result.waitFor();
    expect(await result.textContent()).toMatch(/debug-crane-7-.*\.tar\.gz/);
    await page.screenshot({ path: join(RESULTS, 'e2e-debug-bundle.png'), fullPage: true });
  });

  it('lists every built area in the navigation, and a page Rigger does not have says so', async () => {
    expect(await page.getByTestId('nav-backup').count()).toBe(1);
    expect(await page.getByTestId('nav-fleet').count()).toBe(1);
    await page.evaluate("window.location.hash = '#/no-such-page'");
    await page.getByText('Not found').waitFor();
    await page.screenshot({ path: join(RESULTS, 'e2e-not-found.png') });
  });
});
