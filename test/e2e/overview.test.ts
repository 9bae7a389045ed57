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
import { simBundle } from '../integration/ota/setup';
import { launchChromium, RENDERER, RESULTS } from './browser';

// The gateway page on a small laptop (1024x600): what to do next, the actions above the fold,
// and actions that cannot work disabled with the reason in words.
describe('browser mode, end to end: the gateway overview leads somewhere', () => {
  const work = mkdtempSync(join(tmpdir(), 'rigger-e2e-overview-'));
  let sim: GatewaySim;
  let core: Core;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    sim = await startGatewaySim({ scheme: 'bootcount', booted: 'A' });
    core = createCore({
      dataDir: join(work, 'data'),
      mode: 'browser',
      secrets: memorySecretStore(),
    });
    const vendor = opensslEd25519(work);
    await core.call('keys.add', { path: vendor.pub });
    await core.call('images.import', { path: simBundle(work, vendor, 'v5.0.5').path });
    await addSimGateway(core, sim, { name: 'gw' });
    // The same gateway on a port where nothing listens: unreachable.
    await addSimGateway(core, { ...sim, port: 1 }, { name: 'gw-down' }).catch(() => undefined);
    server = await startServer({ core, staticDir: RENDERER });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1024, height: 600 } });
    await page.goto(server.openUrl);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await core?.close();
    await sim?.stop();
  });

  it('says the next step (the image in the library: Update) with the actions above the fold', async () => {
    await page.evaluate("window.location.hash = '#/gateways/gw'");
    const next = page.getByTestId('next-step');
    await next.getByText('v5.0.5 is in the library for gw:').waitFor({ timeout: 30_000 });
    const actions = page.getByTestId('gateway-actions');
    const box = await actions.getByRole('button', { name: 'Update' }).boundingBox();
    expect(box).not.toBeNull();
    expect(box!.y + box!.height).toBeLessThanOrEqual(600);
    await page.screenshot({ path: join(RESULTS, 'e2e-overview-next-step-1024x600.png') });

    // Its Update goes to the Updates page of this gateway.
    await next.getByRole('button', { name: 'Update' }).click();
    await page.getByRole('heading', { name: 'Updates for gw' }).waitFor();
  });

  it('the Updates page opens on the gateway last used, not the first', async () => {
    await page.evaluate("window.location.hash = '#/gateways/gw-down'");
    await page.getByTestId('status-error').waitFor({ timeout: 30_000 });
    await page.getByTestId('nav-updates').click();
    await page.getByRole('heading', { name: 'Updates for gw-down' }).waitFor();
  });

  it('an unreachable gateway: its actions are disabled with the reason, the console is offered', async () => {
    await page.evaluate("window.location.hash = '#/gateways/gw-down'");
    const why = page.getByTestId('actions-why');
    await why.waitFor({ timeout: 30_000 });
    expect(await why.textContent()).toMatch(/gw-down cannot be reached: every action needs/);
    const actions = page.getByTestId('gateway-actions');
    expect(await actions.getByRole('button', { name: 'Update' }).isDisabled()).toBe(true);
    expect(await actions.getByRole('button', { name: 'Debug bundle' }).isDisabled()).toBe(true);
    expect(await actions.getByRole('button', { name: 'Open console' }).isDisabled()).toBe(false);
    expect(await page.getByTestId('status-error').textContent()).toMatch(/open Console in Rigger/);
    await page.getByTestId('next-step').getByRole('button', { name: 'Open Console' }).waitFor();
    expect(await page.getByTestId('edit-gateway').isVisible()).toBe(true);
    await page.screenshot({ path: join(RESULTS, 'e2e-overview-unreachable-1024x600.png') });
  });
});
