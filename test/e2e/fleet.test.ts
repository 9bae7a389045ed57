import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src/main/core/core';
import { startServer, type RunningServer } from '../../src/main/core/server/server';
import { startGatewaySim, type GatewaySim } from '../gateway-sim';
import { startHawkbitStandin, type HawkbitStandin } from '../helpers/hawkbit-standin';
import { freePort } from '../helpers/ports';
import { otaCore, simBundle } from '../integration/ota/setup';
import { launchChromium, RENDERER, RESULTS } from './browser';

describe('browser mode, end to end: the Fleet page', () => {
  let sim: GatewaySim;
  let core: Core;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let hb: HawkbitStandin;
  let cid: string;

  beforeAll(async () => {
    sim = await startGatewaySim({ booted: 'A', versions: { A: 'v5.0.4', B: 'v5.0.3' } });
    const made = await otaCore(sim);
    core = made.core;
    const bundle = simBundle(made.work, made.vendor, 'v5.1.0');
    const image = await core.call('images.import', { path: bundle.path });
    // hawkBit (the DDI stand-in) wants v5.2.0 on the gateway.
    hb = await startHawkbitStandin();
    cid = (await core.call('gateways.status', { name: 'gw' })).gateway.id!;
    hb.addTarget(cid);
    const next = simBundle(made.work, made.vendor, 'v5.2.0');
    hb.assign(cid, {
      id: '42',
      version: 'v5.2.0',
      distributionSetId: 7,
      maintenanceWindow: 'available',
      chunks: [
        {
          part: 'os',
          name: 'crane-rootfs',
          version: 'v5.2.0',
          artifacts: [{ filename: 'sim-v5.2.0-ok.tar', content: readFileSync(next.path) }],
        },
      ],
    });
    process.env.RIGGER_E2E_HB_TOKEN = hb.gatewayToken;
    await core.call('hawkbit.config', {
      url: hb.url,
      gateway_token_env: 'RIGGER_E2E_HB_TOKEN',
    });
    await core.call('firmware.add', {
      version: 'v5.1.0',
      device_type: 'Univa-GW-Pro',
      image_id: image.id,
    });
    await core.call('ota.batchUpdate', {
      device_type: 'Univa-GW-Pro',
      target_version: 'v5.1.0',
      rollout_percentage: 100,
      schedule: new Date(Date.now() + 86_400_000).toISOString(),
    });
    const reg = await core.call('devices.register', {
      device_id: 'crane-7-node',
      device_type: 'crane_node',
      name: 'Crane 7 hoist node',
    });
    await core.call('alerts.add', {
      name: 'Hot hoist',
      device_id: 'crane-7-node',
      condition: { metric: 'temperature', operator: '>', threshold: 80, duration_seconds: 60 },
      actions: [{ type: 'notification' }],
    });
    // Samples over the last hours, posted by the device with its token.
    const l = await core.fleet.listen(`127.0.0.1:${await freePort()}`);
    const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000;
    for (let h = 3; h >= 1; h--)
      for (const [m, t] of [
        [5, 40 + h],
        [35, 50 + h],
      ] as const) {
        const r = await fetch(`${l.url.replace(/\/$/, '')}/api/v1/telemetry`, {
          method: 'POST',
          headers: {
            'X-Device-ID': 'crane-7-node',
            'X-Device-Token': reg.auth_token,
            'Content-Type': 'application/json',
          },
          body: JSON.stringify({
            timestamp: new Date(hour - h * 3_600_000 + m * 60_000).toISOString(),
            metrics: { temperature: t, cpu_usage: 10 * h },
          }),
        });
        expect(r.status).toBeLessThan(300);
      }
    for (let i = 0; i < 100; i++) {
      if ((await core.call('telemetry.query', { device_id: 'crane-7-node' })).data.length === 6)
        break;
      await new Promise((r) => setTimeout(r, 50));
    }
    server = await startServer({ core, staticDir: RENDERER });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
    await page.goto(server.openUrl);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await core?.close();
    await sim?.stop();
    await hb?.stop();
    delete process.env.RIGGER_E2E_HB_TOKEN;
  });

  it('shows devices, the rollout as waves, a telemetry chart with its table, and alert rules', async () => {
    await page.getByTestId('nav-fleet').click();
    const devices = page.getByTestId('fleet-devices');
    await devices.getByText('Crane 7 hoist node').waitFor();
    expect(await devices.textContent()).toContain('Univa-GW-Pro');
    const rollout = page.getByTestId('fleet-rollout');
    expect(await rollout.textContent()).toMatch(/v5\.1\.0 to Univa-GW-Pro.*scheduled/);
    expect(await rollout.textContent()).toMatch(
      /Wave 1:\s+waiting \(0 of 1 updated\)gw:\s+waiting/,
    );

    await page.getByTestId('telemetry-device').selectOption('crane-7-node');
    await page.getByTestId('telemetry-aggregation').selectOption('max');
    const table = page.getByTestId('telemetry-table');
    await table.getByText('max per 1h').waitFor();
    const rows = await table.locator('tbody tr').allTextContents();
    // Each hour's maximum: the later sample of the hour (50 + h), cpu 10 * h.
    expect(rows.slice(-3)).toEqual([
      expect.stringMatching(/53.*30|30.*53/),
      expect.stringMatching(/52.*20|20.*52/),
      expect.stringMatching(/51.*10|10.*51/),
    ]);
    expect(await page.getByTestId('telemetry-chart').getAttribute('aria-label')).toMatch(
      /cpu_usage, temperature per interval \(max\)/,
    );
    expect(await page.getByTestId('fleet-alerts').textContent()).toContain(
      'temperature > 80 for 60 s',
    );
    await page.getByTestId('hawkbit-sync').click();
    await page
      .getByTestId('hawkbit-assignments')
      .getByText(
        /hawkBit wants v5\.2\.0 on gw \(action 42, forced \/ forced, maintenance window available\)/,
      )
      .waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('hawkbit-last-sync').textContent()).toContain('synced');
    expect(
      hb.feedback(cid).map((f) => (f.body as { status: { execution: string } }).status.execution),
    ).toEqual(['proceeding', 'downloaded']);
    await page.screenshot({ path: join(RESULTS, 'e2e-fleet.png'), fullPage: true });
  }, 60_000);
});
