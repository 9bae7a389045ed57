import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/main/core/core';
import { memorySecretStore } from '../../src/main/core/secrets';
import { startServer, type RunningServer } from '../../src/main/core/server/server';
import { launchChromium, RENDERER, RESULTS } from './browser';

describe('browser mode, end to end: settings in one form', () => {
  let core: Core;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rigger-e2e-settings-'));
    core = createCore({ dataDir, mode: 'browser', secrets: memorySecretStore() });
    server = await startServer({ core, staticDir: RENDERER });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(server.openUrl);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await core?.close();
  });

  it('units people use, one Save, and a warning with the PIN where a change lowers a gate', async () => {
    await page.getByTestId('nav-settings').click();
    const doc = page.getByTestId('settings-document');
    await doc.waitFor();
    expect(await doc.getByLabel('SSH connect timeout (seconds)').inputValue()).toBe('10');
    expect(await doc.getByLabel('Duration (minutes)').inputValue()).toBe('60');
    expect(await doc.textContent()).not.toMatch(/\((ms|bytes)\)/);
    expect(await page.getByRole('button', { name: /^Save/ }).count()).toBe(1);

    await doc.getByLabel('SSH connect timeout (seconds)').fill('20');
    await doc.getByLabel('Crane motion lock').uncheck();
    const warn = page.getByTestId('settings-weakening');
    await warn
      .getByText(/lowers a safety or trust gate: safety_constraints\.crane_motion_lock/)
      .waitFor();
    await page.screenshot({ path: join(RESULTS, 'e2e-settings-weakening.png'), fullPage: true });

    // Without the gate change, the save goes through with no PIN, and says what changed.
    await doc.getByLabel('Crane motion lock').check();
    expect(await warn.count()).toBe(0);
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page
      .getByTestId('settings-saved')
      .getByText(/rigger\.ssh_connect_timeout_ms 10000 → 20000/)
      .waitFor();
    expect((await core.call('settings.get', {})).rigger.ssh_connect_timeout_ms).toBe(20_000);
  });
});
