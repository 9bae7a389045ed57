import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/main/core/core';
import { memorySecretStore } from '../../src/main/core/secrets';
import { startServer, type RunningServer } from '../../src/main/core/server/server';
import { makeBundle, opensslEd25519 } from '../helpers/bundles';
import { launchChromium, RENDERER, RESULTS } from './browser';

describe('browser mode, end to end: trust a vendor key and import a bundle', () => {
  const work = mkdtempSync(join(tmpdir(), 'rigger-e2e-img-'));
  let core: Core;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let vendor: { key: string; pub: string };

  beforeAll(async () => {
    vendor = opensslEd25519(work);
    core = createCore({
      dataDir: join(work, 'data'),
      mode: 'browser',
      secrets: memorySecretStore(),
    });
    server = await startServer({ core, staticDir: RENDERER });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(server.openUrl);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await core?.close();
  });

  it('adds the vendor key in Settings', async () => {
    await page.getByTestId('nav-settings').click();
    await page.getByLabel(/paste an Ed25519 public key/).fill(readFileSync(vendor.pub, 'utf8'));
    await page.getByRole('button', { name: 'Trust this key' }).click();
    await page.getByTestId('trusted-key').waitFor();
    expect(await page.getByTestId('trusted-key').textContent()).toMatch(/sha256:[0-9a-f]{64}/);
  });

  it('imports a bundle by its path and lists it as verified', async () => {
    const b = makeBundle(work, 'e2e', { signer: vendor, version: 'v5.0.5', size: 2_000_000 });
    await page.getByTestId('nav-images').click();
    await page.getByLabel(/File on this laptop/).fill(b.path);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const row = page.getByTestId('image-univa-gw-pro-v5.0.5');
    await row.waitFor();
    expect(await row.textContent()).toContain('verified');
    expect(await row.textContent()).toContain('v5.0.5');
    await page.screenshot({ path: join(RESULTS, 'e2e-images.png'), fullPage: true });
    await row.getByRole('button', { name: 'Details' }).click();
    await page.getByText('Fixed CVE-2025-1234 (Kernel memory leak)').waitFor();
    await page.screenshot({ path: join(RESULTS, 'e2e-image-details.png') });
    await page.getByRole('button', { name: 'Close' }).click();
  });

  it('refuses a loose image unless imported as unsigned with a version', async () => {
    await page.getByLabel(/File on this laptop/).fill(join(work, 'e2e.d', 'gateway.img.gz'));
    expect(await page.getByRole('button', { name: 'Import', exact: true }).isDisabled()).toBe(true);
    await page.getByLabel(/Import it as UNSIGNED/).check();
    await page.getByLabel('Its version').fill('v5.0.6-custom');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByText(/Imported local-v5.0.6-custom/).waitFor();
    // The list refreshes after the message: wait for the row itself.
    const row = page.locator('[data-testid^="image-local-v5.0.6-custom-"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('unsigned');
  });
});
