import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core/core';
import { startServer, type RunningServer } from '../../../src/main/core/server/server';
import { startGatewaySim, type GatewaySim } from '../../gateway-sim';
import { pluginCore } from '../plugins/core-setup';
import { makeFirmwareBundle } from './firmware-bundle';
import { vendor } from './setup';

const run = promisify(execFile);

/**
 * The seed's own Python workflow against Rigger's browser-mode server (its token, its routes),
 * a real core and the test gateway's node tool. The script is the seed's, unchanged but for the
 * base URL and the token.
 */
describe("the seed's Python node workflow", () => {
  let sim: GatewaySim;
  let core: Core;
  let server: RunningServer;
  let base: string;
  let TOKEN: string;

  beforeAll(async () => {
    sim = await startGatewaySim({
      nodes: {
        nodes: [
          {
            node_id: 'ABCD1234',
            name: 'Hoist load cell',
            type: 'esp32-load-sensor',
            fw_version: '5.3.2',
          },
        ],
      },
    });
    let dir: string;
    ({ core, dir } = await pluginCore(sim, vendor, { pollMs: 200, confirmTimeoutMs: 20_000 }));
    const bundle = makeFirmwareBundle(dir, {
      key: vendor.privateKey,
      type: 'esp32-load-sensor',
      version: '5.3.3',
    });
    await core.call('nodes.importFirmware', { path: bundle.path });
    server = await startServer({ core });
    base = server.url.replace(/\/$/, '');
    TOKEN = server.token;
  });
  afterAll(async () => {
    await server?.close();
    await core?.close();
    await sim?.stop();
  });

  it('checks, pushes, polls until success and verifies through config', async () => {
    const { stdout } = await run('python3', [join(__dirname, 'seed-workflow.py')], {
      env: { ...process.env, RIGGER_BASE_URL: base, RIGGER_TOKEN: TOKEN },
      timeout: 55_000,
    });
    expect(stdout).toContain('Update available: 5.3.3');
    expect(stdout).toContain('Update initiated');
    expect(stdout).toMatch(
      /Status: success\nInfo: Firmware updated successfully to version 5\.3\.3/,
    );
    expect(stdout).toContain('Current firmware: 5.3.3\nUpdate successful!');
    expect(sim.nodes!.otadata('ABCD1234')).toMatchObject({ active: 1 });
  });

  it('answers the seed status codes: 400 offline, 404 unknown status, 401 without the token', async () => {
    sim.nodes!.setOnline('ABCD1234', false);
    const post = await fetch(`${base}/v1/user/nodes/ota_update`, {
      method: 'POST',
      headers: { authorization: TOKEN, 'content-type': 'application/json' },
      body: JSON.stringify({ node_id: 'ABCD1234', ota_job_id: 'OTA_JOB_esp32-load-sensor-5.3.3' }),
    });
    expect(post.status).toBe(400);
    expect(await post.json()).toMatchObject({
      status: 'failure',
      description: expect.stringMatching(/Node is offline/),
    });
    const st = await fetch(`${base}/v1/user/nodes/ota_status?node_id=ABCD1234&ota_job_id=nope`, {
      headers: { authorization: TOKEN },
    });
    expect(st.status).toBe(404);
    expect((await fetch(`${base}/v1/user/nodes/config?node_id=ABCD1234`)).status).toBe(401);
    const bearer = await fetch(`${base}/v1/user/nodes/config?node_id=ABCD1234`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(await bearer.json()).toMatchObject({ node_id: 'ABCD1234', online: false });
    const v2 = await fetch(`${base}/v2/user/nodes/config?node_id=ABCD1234`, {
      headers: { authorization: TOKEN },
    });
    expect(v2.status).toBe(404);
    const garbled = await fetch(`${base}/v1/user/nodes/ota_update`, {
      method: 'POST',
      headers: { authorization: TOKEN, 'content-type': 'application/json' },
      body: '{"node_id":',
    });
    expect(garbled.status).toBe(400);
    expect(await garbled.json()).toEqual({
      status: 'failure',
      description: 'Invalid request body',
    });
  });
});
