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

// In browser mode the page cannot know a file's path: the file picker and a drop send the file.
describe('browser mode, end to end: import by file picker and by drop', () => {
  const work = mkdtempSync(join(tmpdir(), 'rigger-e2e-upload-'));
  let core: Core;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let vendor: { key: string; pub: string };

  beforeAll(async () => {
    core = createCore({
      dataDir: join(work, 'data'),
      mode: 'browser',
      secrets: memorySecretStore(),
    });
    vendor = opensslEd25519(work);
    await core.call('keys.add', { path: vendor.pub });
    server = await startServer({ core, staticDir: RENDERER });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(server.openUrl);
    await page.getByTestId('nav-images').click();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await core?.close();
  });

  it("imports a bundle chosen in the browser's file picker", async () => {
    const b = makeBundle(work, 'picked', { signer: vendor, id: 'pick-v5.0.5', version: 'v5.0.5' });
    await page.getByTestId('import-file-input').setInputFiles(b.path);
    await page
      .getByText(/Imported pick-v5\.0\.5 \(v5\.0\.5\) from picked/)
      .waitFor({ timeout: 30_000 });
    expect((await core.call('images.list', {})).map((i) => i.id)).toContain('pick-v5.0.5');
    await page.screenshot({ path: join(RESULTS, 'e2e-images-uploaded.png') });
  });

  it('imports a bundle dropped on the page', async () => {
    const b = makeBundle(work, 'dropped', { signer: vendor, id: 'drop-v5.0.6', version: 'v5.0.6' });
    const bytes = readFileSync(b.path).toString('base64');
    const data = await page.evaluateHandle(
      `(() => {
        const bin = Uint8Array.from(atob(${JSON.stringify(bytes)}), (c) => c.charCodeAt(0));
        const dt = new DataTransfer();
        dt.items.add(new File([bin], 'dropped.tar.gz'));
        return dt;
      })()`,
    );
    await page.locator('section.page').dispatchEvent('drop', { dataTransfer: data });
    await page.getByText(/Imported drop-v5\.0\.6 \(v5\.0\.6\) from dropped\.tar\.gz/).waitFor({
      timeout: 30_000,
    });
  });

  it('an untrusted signer is refused, with the way to Trusted keys', async () => {
    const stranger = opensslEd25519(work, 'stranger');
    const b = makeBundle(work, 'stranger', { signer: stranger, id: 's-v6.0.0', version: 'v6.0.0' });
    await page.getByTestId('import-file-input').setInputFiles(b.path);
    const link = page.getByTestId('trusted-keys-link');
    await link.waitFor({ timeout: 30_000 });
    await page.screenshot({ path: join(RESULTS, 'e2e-images-untrusted.png') });
    await link.click();
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
  });
});
