import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src/main/core/core';
import { startServer, type RunningServer } from '../../src/main/core/server/server';
import { startGatewaySim, type GatewaySim } from '../gateway-sim';
import { pluginCore } from '../integration/plugins/core-setup';
import { makeFirmwareBundle } from '../integration/nodes/firmware-bundle';
import { makeSigningKey, pluginZip, writeZip } from '../unit/core/plugins/plugin-zip';
import { launchChromium, RENDERER, RESULTS } from './browser';

const key = makeSigningKey();

describe('browser mode, end to end: the Plugins and Nodes tabs of a gateway', () => {
  let sim: GatewaySim;
  let core: Core;
  let dir: string;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    sim = await startGatewaySim({ plugins: {}, nodes: {} });
    ({ core, dir } = await pluginCore(sim, key));
    const fw = makeFirmwareBundle(dir, {
      key: key.privateKey,
      type: 'esp32-load-sensor',
      version: '5.3.3',
    });
    await core.call('nodes.importFirmware', { path: fw.path });
    server = await startServer({ core, staticDir: RENDERER });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await core?.close();
    await sim?.stop();
  });

  it('installs a plugin ZIP with the gateway output live in the terminal', async () => {
    const zip = writeZip(
      join(dir, 'acs-zoning-1.0.0.zip'),
      await pluginZip({ key: key.privateKey }),
    );
    await page.goto(server.openUrl);
    await page.getByRole('heading', { name: 'Gateways' }).waitFor();
    await page.goto(`${server.url}#/gateways/gw`);
    await page.getByTestId('gateway-tab-plugins').click();
    await page.getByText('No plugins on gw yet.').waitFor({ timeout: 30_000 });
    await page.getByLabel('Plugin ZIP on this laptop').fill(zip);
    await page.getByRole('button', { name: 'Check and install' }).click();
    await page
      .getByTestId('plugin-progress')
      .getByText(/complete · 100% · Operation completed successfully/)
      .waitFor({ timeout: 60_000 });
    const terminal = page.getByTestId('terminal');
    await terminal.getByText('Starting plugin acs-zoning 1.0.0').first().waitFor();
    const row = page.getByTestId('plugins-table').getByRole('row', { name: /acs-zoning/ });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/acs-zoning1\.0\.0–yesactive/);
    await page.screenshot({ path: join(RESULTS, 'plugins-tab.png'), fullPage: true });
  });

  it('pushes firmware to a node and shows its confirmation', async () => {
    await page.getByTestId('gateway-tab-nodes').click();
    const node = page.getByTestId('node-LOAD0001');
    await node.getByRole('button', { name: 'Update to 5.3.3' }).click({ timeout: 30_000 });
    await node
      .getByText('success: Firmware updated successfully to version 5.3.3')
      .waitFor({ timeout: 60_000 });
    // The list is read again: the node runs 5.3.3 now and nothing newer is offered.
    await node.getByRole('cell', { name: 'up to date' }).waitFor({ timeout: 30_000 });
    expect(await node.getByRole('cell').nth(3).textContent()).toBe('5.3.3');
    await page.screenshot({ path: join(RESULTS, 'nodes-tab.png'), fullPage: true });
  });

  it('updates every node of a type, stopping at the first that fails', async () => {
    await page.getByRole('button', { name: 'Update every esp32-load-sensor' }).click();
    const failed = page.getByTestId('node-LOAD0003');
    await failed
      .getByText(/^failed: The node did not confirm 5\.3\.3/)
      .waitFor({ timeout: 60_000 });
    await page
      .getByTestId('node-LOAD0002')
      .getByText('success: Firmware updated successfully to version 5.3.3')
      .waitFor();
    // Read again afterwards: LOAD0002 runs 5.3.3, LOAD0003 still 5.3.2 (rolled back).
    await page
      .getByTestId('node-LOAD0002')
      .getByRole('cell', { name: 'up to date' })
      .waitFor({ timeout: 30_000 });
    expect(await failed.getByRole('cell').nth(3).textContent()).toBe('5.3.2');
    await page.screenshot({ path: join(RESULTS, 'nodes-tab-batch.png'), fullPage: true });
  });
});
