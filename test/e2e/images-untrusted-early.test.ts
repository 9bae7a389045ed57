import { closeSync, mkdtempSync, openSync, readFileSync, writeSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Header } from 'tar';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/main/core/core';
import { memorySecretStore } from '../../src/main/core/secrets';
import { startServer, type RunningServer } from '../../src/main/core/server/server';
import { makeBundle, opensslEd25519 } from '../helpers/bundles';
import { launchChromium, RENDERER, RESULTS } from './browser';

const MiB = 1024 * 1024;
const IMAGE_BYTES = 512 * MiB;

/** A tar member's header block (mode 0644, epoch mtime). */
function header(path: string, size: number): Buffer {
  const h = new Header({ path, mode: 0o644, size, mtime: new Date(0), type: 'File' });
  h.encode();
  return h.block!;
}

// The browser's file picker with a large bundle from an untrusted signer: the page shows the
// refusal, with the way to Trusted keys, after the server read only the bundle's first members.
describe('browser mode: an untrusted signer is reported before the whole file is read', () => {
  const work = mkdtempSync(join(tmpdir(), 'rigger-e2e-early-'));
  let core: Core;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    core = createCore({
      dataDir: join(work, 'data'),
      mode: 'browser',
      secrets: memorySecretStore(),
    });
    await core.call('keys.add', { path: opensslEd25519(work).pub });
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

  it('refuses a 512 MiB bundle after its first few KiB, linking to Trusted keys', async () => {
    const stranger = opensslEd25519(work, 'stranger');
    const small = makeBundle(work, 'stranger', { signer: stranger, gzipTar: false });
    const dir = small.path.replace(/\.tar$/, '.d');
    // The real manifest and signature, then a 512 MiB image member (a sparse file on disk).
    const file = join(work, 'big-untrusted.tar');
    const fd = openSync(file, 'w');
    let at = 0;
    for (const [name, content] of [
      ['manifest.json', readFileSync(join(dir, 'manifest.json'))],
      ['manifest.sig', readFileSync(join(dir, 'manifest.sig'))],
    ] as const) {
      at += writeSync(fd, header(name, content.length), 0, 512, at);
      at += writeSync(fd, content, 0, content.length, at);
      at += (512 - (at % 512)) % 512;
    }
    at += writeSync(fd, header('gateway.img.gz', IMAGE_BYTES), 0, 512, at);
    ftruncateSync(fd, at + IMAGE_BYTES + 1024);
    closeSync(fd);

    await page.getByTestId('import-file-input').setInputFiles(file);
    const link = page.getByTestId('trusted-keys-link');
    await link.waitFor({ timeout: 60_000 });
    const message = await page.getByTestId('error-panel').textContent();
    expect(message).toMatch(/refused after its first (\d+) bytes, before the image was read/);
    const read = Number(/first (\d+) bytes/.exec(message!)![1]);
    expect(read).toBeLessThan(8 * MiB);
    expect(await page.getByTestId('error-code').textContent()).toBe('OTA_006');
    await page.screenshot({ path: join(RESULTS, 'e2e-images-untrusted-early.png') });
    expect(await core.call('images.list', {})).toEqual([]);
    await link.click();
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
  }, 120_000);
});
