import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src/main/core/core';
import { startServer, type RunningServer } from '../../src/main/core/server/server';
import { startGatewaySim, type GatewaySim } from '../gateway-sim';
import { otaCore, simBundle } from '../integration/ota/setup';
import { launchChromium, RESULTS } from './browser';

const CLIENTS = join(__dirname, 'seed-clients');

/**
 * Recording stand-ins (named as such) for the page functions the seed's snippets call but do
 * not define; `startProgressMonitoring` also starts the snippet's own `monitorProgress`, which
 * is what the seed means by it. The elements are the ones the snippets' own functions write.
 */
const STAND_INS = [
  'updateETA',
  'updateSystemStatus',
  'showSafetyAlert',
  'showActionButtons',
  'showCompletionMessage',
  'enableNextStep',
  'startRebootCountdown',
  'renderUpdatesList',
  'showError',
  'updateProgressUI',
  'enableInstallButton',
];

/**
 * The page, served by Rigger's own server from a folder of static files (so Rigger's origin and
 * its content security policy apply): the stand-ins first, then the two snippets as files.
 */
function writePage(dir: string, token: string, wsUrl: string): void {
  const standIns = `window.calls = [];
for (const name of ${JSON.stringify(STAND_INS)})
  window[name] = (...args) => { window.calls.push({ name, args }); };
window.startProgressMonitoring = (jobId) => {
  window.calls.push({ name: 'startProgressMonitoring', args: [jobId] });
  monitorProgress(jobId);
};
localStorage.setItem('token', ${JSON.stringify(token)});
var RIGGER_WS_URL = ${JSON.stringify(wsUrl)};
`;
  writeFileSync(join(dir, 'stand-ins.js'), standIns);
  for (const f of ['realtime-monitoring.js', 'dashboard-control.js'])
    copyFileSync(join(CLIENTS, f), join(dir, f));
  writeFileSync(
    join(dir, 'seed-clients.html'),
    `<!doctype html><html><head><title>seed clients</title></head><body>
<div id="progress-bar"></div><div id="progress-text"></div><div id="current-operation"></div>
<div id="notifications"></div>
<script src="stand-ins.js"></script>
<script src="realtime-monitoring.js"></script>
<script src="dashboard-control.js"></script>
</body></html>`,
  );
}

type Call = { name: string; args: unknown[] };

describe("the seed's JavaScript example clients, in Chromium on Rigger's origin", () => {
  let sim: GatewaySim;
  let core: Core;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const logs: string[] = [];
  const calls = () => page.evaluate('window.calls') as Promise<Call[]>;
  const callsOf = async (name: string) => (await calls()).filter((c) => c.name === name);
  const waitFor = async (what: string, ok: (c: Call[]) => boolean, ms = 90_000) => {
    const end = Date.now() + ms;
    while (!ok(await calls())) {
      if (Date.now() > end)
        throw new Error(`${what}: not seen; calls: ${JSON.stringify(await calls()).slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };

  beforeAll(async () => {
    sim = await startGatewaySim({ booted: 'A', versions: { A: 'v5.0.4', B: 'v5.0.3' } });
    const made = await otaCore(sim);
    core = made.core;
    await core.call('images.import', {
      path: simBundle(made.work, made.vendor, 'v5.0.5', { size: 6 * 1024 * 1024 }).path,
    });
    const site = mkdtempSync(join(tmpdir(), 'rigger-seed-page-'));
    // The token is Rigger's: known once the server runs; the page files are read per request.
    server = await startServer({ core, staticDir: site });
    const wsUrl = `${server.url.replace(/^http/, 'ws')}cloud-integration/ws/updates?token=${server.token}`;
    writePage(site, server.token, wsUrl);
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('console', (m) => logs.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
    await page.goto(`${server.url}seed-clients.html`);
    await page
      .waitForFunction('typeof ws !== "undefined" && ws.readyState === 1', null, {
        timeout: 15_000,
      })
      .catch((err: Error) => {
        throw new Error(`${err.message}\n${logs.join('\n')}`);
      });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await core?.close();
    await sim?.stop();
  });

  it('the dashboard checks, downloads and monitors; the WebSocket client follows it live', async () => {
    const updates = (await page.evaluate('checkForUpdates()')) as Array<{
      id: string;
      version: string;
    }>;
    expect(updates.map((u) => u.version)).toContain('v5.0.5');
    expect((await callsOf('renderUpdatesList'))[0]!.args[0]).toEqual(updates);
    const u = updates.find((x) => x.version === 'v5.0.5')!;
    const jobId = (await page.evaluate(
      `startDownload(${JSON.stringify(u.id)}, ${JSON.stringify(u.version)})`,
    )) as string;
    expect(jobId).toMatch(/\S/);
    expect(await callsOf('showError')).toEqual([]);
    await waitFor('enableInstallButton', (c) =>
      c.some((x) => x.name === 'enableInstallButton' && x.args[0] === jobId),
    );
    const polled = (await callsOf('updateProgressUI')).map(
      (c) => c.args[0] as { status: string; progress: Record<string, unknown> },
    );
    expect(polled.at(-1)).toMatchObject({ status: 'downloaded', progress: { percentage: 100 } });
    for (const p of polled) {
      expect(p.progress.speed).not.toBeNull();
      expect(p.progress.eta).not.toBeNull();
    }
    // The monitoring client drew the progress with the snippet's own functions.
    expect(await page.textContent('#progress-text')).toMatch(/^\d+\.\d%$/);
    expect(await page.textContent('#current-operation')).toMatch(/\w/);
    const etas = (await callsOf('updateETA')).map((c) => c.args[0]);
    expect(etas.length).toBeGreaterThan(0);
    expect(etas.filter((e) => typeof e !== 'string')).toEqual([]);
    expect((await callsOf('updateSystemStatus')).length).toBeGreaterThan(0);

    // Installing it (as the dashboard's install button would): reboot countdown and completion.
    const r = await fetch(`${server.url}cloud-integration/updates/install`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ job_id: jobId, reboot_after: true, reboot_delay: 2 }),
    });
    const install = (await r.json()) as { status: string; estimated_completion: string | null };
    expect(install.status).toBe('installing');
    expect(install.estimated_completion).not.toBeNull();
    await waitFor('enableNextStep', (c) => c.some((x) => x.name === 'enableNextStep'));
    const countdowns = (await callsOf('startRebootCountdown')).map((c) => c.args[0]);
    expect(countdowns[0]).toBe(2);
    const done = await callsOf('showCompletionMessage');
    expect(done.at(-1)!.args[1]).toBe('success');
    await page.screenshot({ path: join(RESULTS, 'seed-js-clients.png') });
    const s = await core.gateways.status('gw', 'pinned-only');
    expect(s.partitions.active.version).toBe('v5.0.5');
  });
});
