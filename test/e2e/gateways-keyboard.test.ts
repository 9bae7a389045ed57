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

interface Focused {
  tag: string;
  type: string;
  name: string;
  testId: string;
  visible: boolean;
}

// Runs in the page (a string: the node-side tsconfig has no DOM types).
const FOCUSED = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return { tag: 'body', type: '', name: '', testId: '', visible: false };
  const label = (el.labels && el.labels[0] && el.labels[0].textContent) || el.getAttribute('aria-label') || '';
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(),
    type: el.type || '',
    name: (label || el.textContent || '').trim(),
    testId: el.getAttribute('data-testid') || '',
    // A technician must see where the focus is: an outline or a box-shadow ring.
    visible: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none',
  };
})()`;

/** What the focused element is: its tag, type, label or text, test id, and a visible ring. */
const focused = (page: Page) => page.evaluate(FOCUSED) as Promise<Focused>;

/** Press Tab until the focus is on what `want` accepts; fail if it never gets there. */
async function tabTo(
  page: Page,
  want: (f: Focused) => boolean,
  what: string,
  max = 40,
): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (want(f)) {
      expect(f.visible, `the focus on ${what} is visible`).toBe(true);
      return;
    }
  }
  throw new Error(`Tab never reached ${what} (last: ${JSON.stringify(await focused(page))})`);
}

/** Replace the text of the focused field, from the keyboard. */
async function typeInto(page: Page, text: string): Promise<void> {
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type(text);
}

describe('browser mode, keyboard only: add the test gateway, trust its key, open its overview', () => {
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
    const dataDir = mkdtempSync(join(tmpdir(), 'rigger-e2e-kb-'));
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

  it('adds the gateway through the form with Tab, typing and Enter', async () => {
    await page.goto(server.openUrl);
    await page.getByRole('heading', { name: 'Gateways' }).waitFor();
    await tabTo(page, (f) => f.testId === 'add-gateway', 'Add gateway');
    await page.keyboard.press('Enter');
    await page.getByTestId('gateway-form').waitFor();
    // The dialog takes the focus to its first field.
    expect(await focused(page)).toMatchObject({ tag: 'input', name: 'Name' });
    await page.keyboard.type('crane-7');
    await tabTo(page, (f) => f.tag === 'select' && f.name === 'Profile', 'Profile', 3);
    // A closed <select> picks an option by typing its first letters.
    await page.keyboard.type('univa-gw-si');
    expect(await page.getByLabel('Profile').inputValue()).toBe('univa-gw-sim');
    // "Reached over" SSH is the default radio; its group is one Tab stop.
    await tabTo(page, (f) => f.type === 'radio', 'Reached over', 3);
    expect(await page.evaluate('document.activeElement.value')).toBe('ssh');
    await tabTo(page, (f) => f.name === 'SSH host', 'SSH host', 3);
    await typeInto(page, sim.host);
    await tabTo(page, (f) => f.name === 'Port', 'Port', 3);
    await typeInto(page, String(sim.port));
    await tabTo(page, (f) => f.name === 'User', 'User', 3);
    await typeInto(page, sim.user);
    await tabTo(page, (f) => f.name === 'Private key file', 'Private key file', 5);
    await typeInto(page, sim.keyFile);
    await page.screenshot({ path: join(RESULTS, 'e2e-keyboard-add-gateway.png') });
    // Saved untested: the first Connect then asks about the host key (the next test).
    await tabTo(page, (f) => f.testId === 'gateway-save-untested', 'Save without testing', 7);
    await page.keyboard.press('Enter');
    await page.getByTestId('gateway-card-crane-7').waitFor();
    // The dialog is gone and the focus is back on the page, not lost on <body>.
    await page.getByTestId('gateway-form').waitFor({ state: 'detached' });
    expect((await focused(page)).tag).not.toBe('body');
  });

  it('connects with Enter, trusts the first key with Space, and shows slots A and B', async () => {
    await tabTo(page, (f) => f.testId === 'connect-crane-7', 'Connect of crane-7');
    await page.keyboard.press('Enter');
    await page.getByTestId('host-key-dialog').waitFor();
    expect(await page.getByTestId('offered-fingerprint').textContent()).toBe(
      sim.hostKeyFingerprint,
    );
    // The safe choice has the focus first; trusting takes a deliberate Tab.
    expect((await focused(page)).name).toBe('Cancel');
    await tabTo(page, (f) => f.testId === 'trust-host-key', 'Trust and connect', 3);
    await page.screenshot({ path: join(RESULTS, 'e2e-keyboard-host-key.png') });
    await page.keyboard.press('Space');
    await page.getByTestId('slot-A-version').getByText('v5.0.4').waitFor();
    expect(await page.getByTestId('slot-B-version').textContent()).toBe('v5.0.3');
    expect(await page.getByTestId('slot-A').textContent()).toContain('BOOTED');
    await page.getByTestId('host-key-dialog').waitFor({ state: 'detached' });
    expect((await focused(page)).tag).not.toBe('body');
    // The overview's own controls are reachable from the keyboard too.
    await tabTo(page, (f) => f.testId === 'refresh-status', 'Refresh');
    await page.keyboard.press('Enter');
    await page
      .getByTestId('checked-at')
      .getByText(/Checked at/)
      .waitFor();
    // Refreshing does not throw the keyboard user's place away (a disabled button loses focus).
    expect((await focused(page)).testId).toBe('refresh-status');
    await page.screenshot({ path: join(RESULTS, 'e2e-keyboard-overview.png'), fullPage: true });
    expect((await core.call('gateways.get', { name: 'crane-7' })).host_key?.fingerprint).toBe(
      sim.hostKeyFingerprint,
    );
  });
});
