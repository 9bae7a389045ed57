import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/main/core/core';
import { memorySecretStore } from '../../src/main/core/secrets';
import { startServer, type RunningServer } from '../../src/main/core/server/server';
import { startGatewaySim, type GatewaySim } from '../gateway-sim';
import { launchChromium, RENDERER, RESULTS } from './browser';

// Browser mode: the profile is picked from a file (an upload) and the connection is tested
// before the gateway is saved, against the test gateway's real sshd.
describe('browser mode: add a gateway with a profile file and a connection test', () => {
  let sim: GatewaySim;
  let core: Core;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let dataDir: string;
  const pageErrors: string[] = [];
  const work = mkdtempSync(join(tmpdir(), 'rigger-e2e-addtest-'));

  beforeAll(async () => {
    sim = await startGatewaySim({ scheme: 'bootcount', booted: 'A' });
    dataDir = join(work, 'data');
    core = createCore({ dataDir, mode: 'browser', secrets: memorySecretStore() });
    server = await startServer({ core, staticDir: RENDERER });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await core?.close();
    await sim?.stop();
  });

  it('picks a profile from a file: a wrong one is refused naming its field, a right one is shown', async () => {
    await page.goto(server.openUrl);
    await page.getByRole('button', { name: 'Add gateway' }).click();
    const bad = JSON.parse(readFileSync(sim.profilePath, 'utf8')) as Record<string, unknown>;
    delete bad.slots;
    writeFileSync(join(work, 'broken.json'), JSON.stringify(bad));
    await page.getByTestId('profile-file-input').setInputFiles(join(work, 'broken.json'));
    const error = page.getByTestId('profile-file-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/slots/);
    await page.screenshot({ path: join(RESULTS, 'e2e-profile-file-invalid.png') });
    expect((await core.call('profiles.list', {})).map((p) => p.name)).not.toContain('univa-gw-sim');

    await page.getByTestId('profile-file-input').setInputFiles(sim.profilePath);
    const result = page.getByTestId('profile-file-result');
    await result.waitFor();
    expect(await result.textContent()).toMatch(/univa-gw-sim.*bootcount/);
    expect(await page.getByLabel('Profile').inputValue()).toBe('univa-gw-sim');
    await page.screenshot({ path: join(RESULTS, 'e2e-profile-file-picked.png') });
    expect(
      (await core.call('profiles.list', {})).find((p) => p.name === 'univa-gw-sim'),
    ).toMatchObject({ source: 'user', path: join(dataDir, 'profiles', 'univa-gw-sim.json') });
  });

  it('tests first: a .pub key is about the file, then the new host key is shown and accepted', async () => {
    await page.getByLabel('Name').fill('crane-4');
    await page.getByLabel('SSH host').fill(sim.host);
    await page.getByLabel('Port').fill(String(sim.port));
    await page.getByLabel('User', { exact: true }).fill(sim.user);
    await page.getByLabel('Private key file').fill(`${sim.keyFile}.pub`);
    // No Save before a test: only Test connection, or Save without testing.
    expect(await page.getByTestId('gateway-save').count()).toBe(0);
    await page.getByRole('button', { name: 'Test connection' }).click();
    const problem = page.getByTestId('connection-test-problem');
    await problem.waitFor();
    expect(await problem.textContent()).toMatch(/not a usable private key/);
    expect(await page.getByTestId('connection-test').textContent()).not.toMatch(/user name/i);
    await page.screenshot({ path: join(RESULTS, 'e2e-connection-test-key-format.png') });

    await page.getByLabel('Private key file').fill(sim.keyFile);
    // The result belonged to the old fields: it is gone once they change.
    expect(await page.getByTestId('connection-test').count()).toBe(0);
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByTestId('accept-host-key').waitFor();
    expect(await page.getByTestId('test-fingerprint').textContent()).toBe(sim.hostKeyFingerprint);
    expect(await page.getByTestId('test-key-state').textContent()).toBe('new');
    await page.screenshot({ path: join(RESULTS, 'e2e-connection-test-new-key.png') });
    expect(await core.call('gateways.list', {})).toEqual([]);

    await page.getByTestId('accept-host-key').click();
    await page.getByTestId('gateway-save').waitFor();
    const facts = await page.getByTestId('connection-test-facts').textContent();
    expect(facts).toMatch(/worked/);
    expect(facts).toMatch(/Univa-GW-Pro/);
    expect(facts).toMatch(/v5\.0\.4/);
    await page.screenshot({ path: join(RESULTS, 'e2e-connection-test-passed.png') });
    expect(await core.call('gateways.list', {})).toEqual([]);
  });

  it('saves, pinning exactly the tested key: Connect needs no host key question', async () => {
    await page.getByTestId('gateway-save').click();
    await page.getByTestId('gateway-card-crane-4').waitFor();
    const g = await core.call('gateways.get', { name: 'crane-4' });
    expect(g).toMatchObject({
      profile: 'univa-gw-sim',
      host_key: { fingerprint: sim.hostKeyFingerprint },
    });
    await page.getByTestId('connect-crane-4').click();
    await page.getByTestId('slot-A-version').waitFor();
    expect(await page.getByTestId('host-key-dialog').count()).toBe(0);
    await page.screenshot({ path: join(RESULTS, 'e2e-connection-test-saved.png') });
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('edit: the test knows the pinned key, and shows CHANGED once the gateway has another', async () => {
    await page.getByTestId('edit-gateway').click();
    await page.getByTestId('gateway-form').waitFor();
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByTestId('gateway-save').waitFor();
    expect(await page.getByTestId('test-key-state').textContent()).toBe('known');
    await page.screenshot({ path: join(RESULTS, 'e2e-connection-test-edit-known.png') });
    await page.getByRole('button', { name: 'Cancel' }).click();

    const old = sim.hostKeyFingerprint;
    const now = await sim.regenerateHostKey();
    await page.getByTestId('edit-gateway').click();
    await page.getByRole('button', { name: 'Test connection' }).click();
    const state = page.getByTestId('test-key-state');
    await state.waitFor();
    expect(await state.textContent()).toBe('CHANGED');
    expect(await page.getByTestId('test-fingerprint').textContent()).toBe(now);
    expect(await page.getByTestId('connection-test-problem').textContent()).toContain(old);
    expect(await page.getByTestId('gateway-save').count()).toBe(0);
    await page.screenshot({ path: join(RESULTS, 'e2e-connection-test-changed.png') });
    expect((await core.call('gateways.get', { name: 'crane-4' })).host_key?.fingerprint).toBe(old);
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
