import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const RESULTS = join(__dirname, '..', '..', 'test-results');
export const RENDERER = join(__dirname, '..', '..', 'out', 'renderer');

/** Debian's Chromium, headless, with the flags that keep it off the closed network (TESTING.md). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(join(RENDERER, 'index.html')))
    throw new Error('The renderer is not built: run `npm run build` first');
  mkdirSync(RESULTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
