import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/main/core/core';
import { memorySecretStore } from '../../src/main/core/secrets';
import { startServer, type RunningServer } from '../../src/main/core/server/server';
import { freePort } from '../helpers/ports';
import { launchChromium, RENDERER, RESULTS } from './browser';

// An alert raised by a telemetry rule reaches the technician on whatever page is open.
describe('browser mode, end to end: alerts as toasts', () => {
  const work = mkdtempSync(join(tmpdir(), 'rigger-e2e-toast-'));
  let core: Core;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let post: (temperature: number) => Promise<void>;

  beforeAll(async () => {
    core = createCore({
      dataDir: join(work, 'data'),
      mode: 'browser',
      secrets: memorySecretStore(),
    });
    const reg = await core.call('devices.register', {
      device_id: 'crane-7-node',
      device_type: 'crane_node',
      name: 'Crane 7 hoist node',
    });
    await core.call('alerts.add', {
      name: 'Hot hoist',
      device_id: 'crane-7-node',
      condition: { metric: 'temperature', operator: '>', threshold: 80 },
      actions: [{ type: 'notification' }],
    });
    const listener = await core.fleet.listen(`127.0.0.1:${await freePort()}`);
    post = async (temperature) => {
      const r = await fetch(`${listener.url}/api/v1/telemetry`, {
        method: 'POST',
        headers: {
          'X-Device-ID': 'crane-7-node',
          'X-Device-Token': reg.auth_token,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({ metrics: { temperature } }),
      });
      expect(r.status).toBe(202);
    };
    server = await startServer({ core, staticDir: RENDERER });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1024, height: 700 } });
    await page.goto(server.openUrl);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await core?.close();
  });

  it('shows a firing alert on the Settings page, then its clearing; Dismiss removes it; both stay in the history', async () => {
    await page.evaluate("window.location.hash = '#/settings'");
    await page.getByRole('heading', { name: 'Settings' }).first().waitFor();
    expect(await page.getByTestId('toast').count()).toBe(0);

    await post(95);
    const toast = page.getByTestId('toast');
    await toast.getByText('Alert: Hot hoist').waitFor({ timeout: 15_000 });
    expect(await toast.textContent()).toContain('crane-7-node: temperature 95 (threshold 80)');
    expect(await toast.getAttribute('role')).toBe('alert');
    await page.screenshot({ path: join(RESULTS, 'e2e-alert-toast.png') });

    await post(50);
    await toast.getByText('Cleared: Hot hoist').waitFor({ timeout: 15_000 });
    expect(await toast.count()).toBe(1);
    await toast.getByRole('button', { name: 'Dismiss' }).click();
    await toast.waitFor({ state: 'detached' });

    // Both are in the alert history, on the Fleet page and through the API.
    await page.getByTestId('nav-fleet').click();
    const log = page.getByTestId('fleet-alert-history');
    await log.getByText('Hot hoist: cleared').waitFor();
    expect(await log.locator('tbody tr').allTextContents()).toEqual([
      expect.stringMatching(/Hot hoist: cleared.*crane-7-node.*temperature 50/),
      expect.stringMatching(/Hot hoist: firing.*crane-7-node.*temperature 95/),
    ]);
    expect(
      (await core.call('alerts.history', { device_id: 'crane-7-node' })).events.map((e) => e.state),
    ).toEqual(['cleared', 'firing']);
  }, 60_000);
});
