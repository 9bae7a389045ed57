import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/main/core/core';
import { memorySecretStore } from '../../src/main/core/secrets';
import { startServer, type RunningServer } from '../../src/main/core/server/server';
import { startGatewaySim, type GatewaySim } from '../gateway-sim';
import { opensslEd25519 } from '../helpers/bundles';
import { startHawkbitStandin, type HawkbitStandin } from '../helpers/hawkbit-standin';
import { addSimGateway } from '../helpers/sim-gateway';
import { simBundle } from '../integration/ota/setup';
import { launchChromium, RENDERER, RESULTS } from './browser';

/**
 * The courier in the browser against the DDI stand-in and the real test gateway: a sync on the
 * Fleet page, the assignment offered on the gateway page and its Updates page, installed there
 * through the ordinary preflight, its result recorded against the action, then reported.
 */
describe('browser mode, end to end: a hawkBit assignment installed at the crane', () => {
  const work = mkdtempSync(join(tmpdir(), 'rigger-e2e-hb-'));
  let sim: GatewaySim;
  let core: Core;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let hb: HawkbitStandin;
  let cid: string;
  let vendor: { key: string; pub: string };

  const assign = (id: string, version: string) => {
    const b = simBundle(work, vendor, version);
    hb.assign(cid, {
      id,
      version,
      distributionSetId: Number(id),
      update: 'attempt',
      maintenanceWindow: 'available',
      rollout: {
        id: 9,
        name: 'quay-cranes',
        groups: [
          { id: 91, name: 'pilot', status: 'finished', targets: ['crane-1'] },
          { id: 92, name: 'north', status: 'running', targets: [cid] },
        ],
      },
      chunks: [
        {
          part: 'os',
          name: 'crane-rootfs',
          version,
          artifacts: [{ filename: basename(b.path), content: readFileSync(b.path) }],
        },
      ],
    });
  };
  const toGatewayPage = () => page.evaluate("window.location.hash = '#/gateways/gw'");
  const syncOnFleet = async () => {
    await page.getByTestId('nav-fleet').click();
    // This sync's answer, not the list an earlier sync left on the page.
    const answered = page.waitForResponse((r) => r.url().endsWith('/api/call/hawkbit.sync'), {
      timeout: 60_000,
    });
    await page.getByTestId('hawkbit-sync').click();
    expect((await answered).status()).toBe(200);
    await page.getByTestId('hawkbit-last-sync').getByText('synced').waitFor({ timeout: 30_000 });
  };

  beforeAll(async () => {
    sim = await startGatewaySim({ booted: 'A', versions: { A: 'v5.0.4', B: 'v5.0.3' } });
    core = createCore({
      dataDir: join(work, 'data'),
      mode: 'browser',
      secrets: memorySecretStore(),
      otaTimings: {
        pollMs: 300,
        healthWaitMs: 4000,
        rebootWaitMs: 30_000,
        checkpointBytes: 512 * 1024,
      },
    });
    vendor = opensslEd25519(work);
    await core.call('keys.add', { path: vendor.pub });
    await addSimGateway(core, sim);
    hb = await startHawkbitStandin({ management: { user: 'rigger', pass: 'm-secret' } });
    cid = (await core.call('gateways.status', { name: 'gw' })).gateway.id!;
    hb.addTarget(cid);
    assign('42', 'v5.1.0');
    process.env.RIGGER_E2E_HBI_TOKEN = hb.gatewayToken;
    process.env.RIGGER_E2E_HBI_MGMT = 'm-secret';
    server = await startServer({ core, staticDir: RENDERER });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await page.goto(server.openUrl);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await core?.close();
    await sim?.stop();
    await hb?.stop();
    delete process.env.RIGGER_E2E_HBI_TOKEN;
    delete process.env.RIGGER_E2E_HBI_MGMT;
  });

  it('is set up and synced on the Fleet page, and shows the rollout group of the gateway', async () => {
    await page.getByTestId('nav-fleet').click();
    await page.getByText('No hawkBit server is set up').waitFor();
    await page.getByTestId('hawkbit-setup-open').click();
    const form = page.getByTestId('hawkbit-setup');
    await form.getByLabel('Server URL').fill(hb.url);
    await form
      .getByLabel('Or read the token from the environment variable')
      .fill('RIGGER_E2E_HBI_TOKEN');
    await form.getByLabel('Management API user', { exact: true }).fill('rigger');
    await form
      .getByLabel('Or read the password from the environment variable')
      .fill('RIGGER_E2E_HBI_MGMT');
    await page.getByTestId('hawkbit-setup-save').click();
    await form.waitFor({ state: 'detached' });
    expect(await page.getByTestId('hawkbit-connection').textContent()).toBe(
      `${hb.url}, tenant DEFAULT; gateway token: environment; Management API user rigger (password environment)`,
    );
    expect(JSON.stringify(await core.call('settings.get', {}))).not.toContain(hb.gatewayToken);
    await syncOnFleet();
    const list = page.getByTestId('hawkbit-assignments');
    await list
      .getByText(
        'hawkBit wants v5.1.0 on gw (action 42, forced / attempt, maintenance window available)',
      )
      .waitFor();
    expect(await page.getByTestId('hawkbit-rollout-42').textContent()).toMatch(
      /Rollout quay-cranes \(id 9\), gw is in group north:.*pilot: finished, 1 target.*north: running, 1 target \(this gateway\)/,
    );
    await page.screenshot({ path: join(RESULTS, 'e2e-hawkbit-fleet.png'), fullPage: true });
  }, 60_000);

  it('offers the assignment on the gateway page and on its Updates page', async () => {
    await toGatewayPage();
    const onGateway = page.getByTestId('hawkbit-action-42');
    await onGateway.getByText(/hawkBit wants v5\.1\.0 on gw \(action 42/).waitFor();
    await onGateway.getByTestId('hawkbit-install-42').waitFor();
    await page.screenshot({ path: join(RESULTS, 'e2e-hawkbit-gateway.png'), fullPage: true });

    await page.getByTestId('nav-updates').click();
    const onUpdates = page.getByTestId('hawkbit-action-42');
    await onUpdates.getByText(/hawkBit wants v5\.1\.0 on gw/).waitFor();
    expect(await onUpdates.textContent()).toContain('gw is in group north');
    await page.screenshot({ path: join(RESULTS, 'e2e-hawkbit-updates.png'), fullPage: true });
    // Its Install opens the ordinary preflight right here; cancelled, nothing starts.
    await onUpdates.getByTestId('hawkbit-install-42').click();
    const pre = page.getByTestId('preflight');
    await pre.getByText('Install v5.1.0 on gw?').waitFor();
    await pre.getByRole('button', { name: 'Cancel' }).click();
    await pre.waitFor({ state: 'detached' });
  }, 60_000);

  it('installs it through the ordinary preflight and records the result against the action', async () => {
    // From the gateway page: Install goes to its Updates page with the preflight open.
    await toGatewayPage();
    await page.getByTestId('hawkbit-install-42').click();
    await page.waitForURL(/#\/updates\/gw$/);
    const pre = page.getByTestId('preflight');
    await pre.getByText('Safe to update').waitFor({ timeout: 30_000 });
    await pre.getByText(/Slot B will be written/).waitFor();
    expect(await pre.getByTestId('preflight-facts').textContent()).toMatch(/Signature\s*verified/);
    await pre.getByRole('button', { name: 'Install on slot B' }).click();
    const result = page.getByTestId('update-result');
    await result.waitFor({ timeout: 120_000 });
    expect(await result.textContent()).toMatch(/runs v5\.1\.0 from slot B/);
    const recorded = page.getByTestId('hawkbit-result-42');
    await recorded.getByText(/waits for the next sync/).waitFor({ timeout: 30_000 });
    expect(await recorded.textContent()).toMatch(/Recorded: installed at /);
    await recorded.getByText('Every step with its time').click();
    const job = (await core.call('jobs.list', { gateway: 'gw', limit: 5 })).jobs.find(
      (j) => j.type === 'update',
    )!;
    const row = core.jobs.store.find(job.id)!;
    const steps = core.jobs.store.steps(job.id);
    expect(steps.length).toBeGreaterThan(2);
    for (const s of steps)
      await recorded.getByText(`${s.finished_at ?? s.started_at} ${s.name} ${s.status}`).waitFor();
    await page.screenshot({ path: join(RESULTS, 'e2e-hawkbit-installed.png'), fullPage: true });

    // Back online: the next sync reports it with the install's own end time.
    await syncOnFleet();
    expect(hb.feedback(cid).at(-1)).toMatchObject({
      channel: 'deploymentBase',
      actionId: '42',
      body: {
        time: row.finished_at,
        status: { execution: 'closed', result: { finished: 'success' } },
      },
    });
    await toGatewayPage();
    await page
      .getByTestId('hawkbit-result-42')
      .getByText(/reported to hawkBit at/)
      .waitFor();
  }, 240_000);

  it('shows an action hawkBit canceled as cancelled, without an Install button', async () => {
    assign('43', 'v5.2.0');
    await syncOnFleet();
    hb.cancel(cid, '43');
    await syncOnFleet();
    await toGatewayPage();
    const a = page.getByTestId('hawkbit-action-43');
    await a.getByText('cancelled').waitFor();
    expect(await a.textContent()).toMatch(
      /hawkBit canceled this action: it is not offered \(answered to hawkBit at 20\d\d-/,
    );
    expect(await a.getByTestId('hawkbit-install-43').count()).toBe(0);
    expect(hb.action(cid, '43').state).toBe('canceled');
    await page.screenshot({ path: join(RESULTS, 'e2e-hawkbit-cancelled.png'), fullPage: true });
  }, 90_000);
});
