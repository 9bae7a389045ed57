import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
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

const LINES = 100_000;

/** 100,000 syslog-style lines, one in a hundred an error, the last one marked. */
function bigLog(path: string) {
  const out: string[] = [];
  const t0 = Date.UTC(2025, 2, 15, 0, 0, 0);
  for (let i = 0; i < LINES; i++) {
    const at = new Date(t0 + i * 1000).toISOString().replace('.000', '');
    const level = i % 100 === 0 ? 'ERROR' : 'INFO';
    out.push(
      `${at} gateway[${i % 900}]: ${level} plc poll ${i}${i === LINES - 1 ? ' LAST-LINE' : ''}`,
    );
  }
  writeFileSync(path, out.join('\n') + '\n');
}

describe('browser mode, end to end: the Logs page', () => {
  let sim: GatewaySim;
  let core: Core;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    sim = await startGatewaySim({ scheme: 'bootcount', booted: 'A' });
    bigLog(join(sim.root, 'var', 'log', 'plc.log'));
    const dataDir = mkdtempSync(join(tmpdir(), 'rigger-e2e-logs-'));
    core = createCore({ dataDir, mode: 'browser', secrets: memorySecretStore() });
    await addSimGateway(core, sim);
    server = await startServer({ core, staticDir: RENDERER });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(server.openUrl);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await core?.close();
    await sim?.stop();
  });

  it('shows 100,000 lines in a virtualized list: few rows in the page, the last one reachable', async () => {
    await page.getByTestId('nav-logs').click();
    await page.getByTestId('logs-gateway').selectOption('gw');
    await page.getByText(/matching/).waitFor();
    await page.getByTestId('logs-limit').selectOption(String(LINES));
    await page.getByText(/100,000 shown of/).waitFor({ timeout: 30_000 });
    const rows = await page.getByTestId('log-row').count();
    expect(rows).toBeGreaterThan(5);
    expect(rows).toBeLessThan(200);
    // To the end of the list with the keyboard, as a technician in gloves would.
    await page.getByTestId('log-list').focus();
    await page.keyboard.press('End');
    await page.getByText(/LAST-LINE/).waitFor();
    expect(await page.getByTestId('log-row').count()).toBeLessThan(200);
    await page.screenshot({ path: join(RESULTS, 'e2e-logs.png') });
  });

  it('filters by level, and follow mode shows a new line at the bottom', async () => {
    await page.getByLabel('Level').selectOption('error');
    await page.getByText(/1,000 shown of 1,000 matching/).waitFor({ timeout: 30_000 });
    const levels = await page.locator('[data-testid="log-row"] .log-level').allTextContents();
    expect(levels.every((l) => l.trim() === 'error')).toBe(true);

    await page.getByTestId('logs-follow').check();
    appendFileSync(
      join(sim.root, 'var', 'log', 'plc.log'),
      `${new Date().toISOString().replace(/\.\d+/, '')} gateway[1]: ERROR brake sensor FOLLOWED\n`,
    );
    await page.getByText(/brake sensor FOLLOWED/).waitFor({ timeout: 15_000 });
    await page.screenshot({ path: join(RESULTS, 'e2e-logs-follow.png') });
    await page.getByTestId('logs-follow').uncheck();
  });
});
