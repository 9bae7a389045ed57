import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleNodeOta } from '../../../src/main/core/nodes/http';
import { startGatewaySim, type GatewaySim } from '../../gateway-sim';
import { nodeRig } from './setup';

const run = promisify(execFile);
const TOKEN = 'test-token-7f3a';

/**
 * The seed's own Python workflow against the node endpoints. The HTTP server here is a stand-in
 * for Rigger's REST layer (token check, JSON in and out) until the routes are wired there; the
 * endpoints' answers are handleNodeOta's, over the real node service and the test gateway.
 */
describe("the seed's Python node workflow", () => {
  let sim: GatewaySim;
  let rig: ReturnType<typeof nodeRig>;
  let server: Server;
  let base: string;

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
    rig = nodeRig(sim, { pollMs: 200, confirmTimeoutMs: 20_000 });
    await rig.add('esp32-load-sensor', '5.3.3');
    server = createServer((req, res) => {
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.headers.authorization !== TOKEN)
        return send(401, { status: 'failure', description: 'Unauthorized' });
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://x');
        void handleNodeOta(rig.svc, {
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          body: raw ? (JSON.parse(raw) as unknown) : undefined,
        }).then((a) =>
          a ? send(a.status, a.body) : send(404, { status: 'failure', description: 'Not found' }),
        );
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    await rig?.close();
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
  });
});
