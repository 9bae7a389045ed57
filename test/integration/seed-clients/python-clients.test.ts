import { execFile, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core/core';
import { startServer, type RunningServer } from '../../../src/main/core/server/server';
import { makeSimImage, SAFE_SIGNALS, startGatewaySim, type GatewaySim } from '../../gateway-sim';
import { otaCore, simBundle, until } from '../ota/setup';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

const run = promisify(execFile);

/** A Python that has `requests` (the seed's clients use it): Debian's, or the one on PATH. */
function python(): string {
  for (const p of ['python3', '/usr/bin/python3']) {
    try {
      execFileSync(p, ['-c', 'import requests'], { stdio: 'ignore' });
      return p;
    } catch {
      // Not this one.
    }
  }
  throw new Error('No python3 with the requests module: apt-get install python3-requests');
}

/**
 * The seed's example clients (gateway-ota-recovery-api.rst, "Examples"), run unchanged but for
 * the base URL and the token, against Rigger's browser-mode server and the real test gateway.
 * Rigger knows one gateway here, so the clients need not name it.
 */
describe("the seed's Python example clients, against rigger serve", () => {
  let sim: GatewaySim;
  let core: Core;
  let work: string;
  let server: RunningServer;
  let env: NodeJS.ProcessEnv;
  let vendor: { key: string };
  const py = python();
  const client = async (script: string, extra: Record<string, string> = {}) => {
    const { stdout } = await run(py, [join(__dirname, script)], {
      env: { ...env, ...extra },
      timeout: 120_000,
    });
    return stdout;
  };

  beforeAll(async () => {
    sim = await startGatewaySim({ booted: 'A', versions: { A: 'v5.0.4', B: 'v5.0.3' } });
    const made = await otaCore(sim);
    core = made.core;
    work = made.work;
    vendor = made.vendor;
    await core.call('images.import', { path: simBundle(work, made.vendor, 'v5.0.5').path });
    server = await startServer({ core });
    env = {
      ...process.env,
      RIGGER_BASE: server.url.replace(/\/$/, ''),
      RIGGER_TOKEN: server.token,
    };
  });
  afterAll(async () => {
    await server?.close();
    await core?.close();
    await sim?.stop();
  });

  it('Complete Update Flow: status, check, download, progress until downloaded, install', async () => {
    const out = await client('update_flow.py');
    expect(out).toContain('Gateway: ');
    expect(out).toContain('Active Partition: v5.0.4');
    expect(out).toMatch(/Available update: v5\.0\.5 - /);
    expect(out).toMatch(/Download started: \S+/);
    expect(out).toContain('Update installation started.');
    const jobId = /Download started: (\S+)/.exec(out)![1]!;
    const done = await until(core, jobId, ['success', 'failed'], 90_000);
    expect(done.status, done.error ?? '').toBe('success');
    const s = await core.gateways.status('gw', 'pinned-only');
    expect(s.boot?.booted_slot).toBe('B');
    expect(s.partitions.active.version).toBe('v5.0.5');
  });

  it('Manual Image Upload: an unsigned image is not verified, and the client is told why', async () => {
    const img = join(work, 'custom-v5.1.0.img');
    writeFileSync(img, makeSimImage('v5.1.0-custom', 2 * 1024 * 1024));
    const out = await client('manual_upload.py', { RIGGER_IMAGE: img });
    expect(out).toMatch(/^Verification failed: Not verified: .*not signed by a trusted key/m);
  });

  it('the same form with a signed bundle: verified, then deployed by the name verify returned', async () => {
    const bundle = simBundle(work, vendor, 'v5.0.7');
    const form = new FormData();
    form.append('file', new Blob([readFileSync(bundle.path)]), 'sim-v5.0.7.tar');
    form.append('version', 'v5.0.7');
    const auth = { Authorization: `Bearer ${server.token}` };
    const verify = await fetch(`${env.RIGGER_BASE}/cloud-integration/upload/verify`, {
      method: 'POST',
      headers: auth,
      body: form,
    });
    const verified = (await verify.json()) as { status: string; file: { name: string } };
    // The test gateway's images carry no filesystem whose layout could be judged: "incomplete".
    expect(verified).toMatchObject({
      status: 'incomplete',
      file: { name: 'sim-v5.0.7.tar', version: 'v5.0.7' },
      validation: { signature_valid: true, checksum_valid: true, hardware_compatible: true },
    });
    const deploy = await fetch(`${env.RIGGER_BASE}/cloud-integration/upload/deploy`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ filename: verified.file.name, version: 'v5.0.7', reboot_delay: 0 }),
    });
    const started = (await deploy.json()) as { deployment_id: string };
    expect(started.deployment_id).toBeTruthy();
    const done = await until(core, started.deployment_id, ['success', 'failed'], 90_000);
    expect(done.status, done.error ?? '').toBe('success');
    expect((await core.gateways.status('gw', 'pinned-only')).partitions.active.version).toBe(
      'v5.0.7',
    );
  });

  it('refuses a form without a file, and one past the room the library has', async () => {
    const auth = { Authorization: `Bearer ${server.token}` };
    const empty = new FormData();
    empty.append('version', 'v1');
    const r1 = await fetch(`${env.RIGGER_BASE}/cloud-integration/upload/verify`, {
      method: 'POST',
      headers: auth,
      body: empty,
    });
    expect(r1.status).toBe(400);
    expect(await r1.json()).toMatchObject({
      code: 'VALIDATION_ERROR',
      message: 'No file provided',
    });
    const quota = (await core.call('settings.get', {})).rigger.image_quota_bytes;
    await core.call('settings.update', { rigger: { image_quota_bytes: 64 * 1024 * 1024 } });
    const big = new FormData();
    big.append('file', new Blob([Buffer.alloc(80 * 1024 * 1024)]), 'big.img');
    big.append('version', 'v9.9.9');
    const r2 = await fetch(`${env.RIGGER_BASE}/cloud-integration/upload/verify`, {
      method: 'POST',
      headers: auth,
      body: big,
    });
    expect(await r2.json()).toMatchObject({ code: 'OTA_003' });
    expect(readdirSync(join(work, 'data', 'uploads')).filter((f) => f.includes('big'))).toEqual([]);
    await core.call('settings.update', { rigger: { image_quota_bytes: quota } });
  });

  it('Safety Override and Update: blocked by a moving crane, overridden with the PIN', async () => {
    await core.call('safety.setPin', { pin: '7392' });
    await sim.setSafety({ ...SAFE_SIGNALS, crane_motion: { status: 'moving' } });
    // The seed's body, with a wrong PIN: refused with the seed's OTA_010 and a request id.
    const refused = await fetch(`${env.RIGGER_BASE}/cloud-integration/safety/override`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        enable: true,
        pin: '0000',
        reason: 'Emergency security update',
        duration: 1800,
        acknowledge_risks: true,
      }),
    });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({
      error: true,
      code: 'OTA_010',
      request_id: expect.stringMatching(/^req_/),
    });
    const out = await client('safety_override.py', { RIGGER_PIN: '7392' });
    expect(out).toContain('Safety override enabled for 1800 seconds');
    await sim.setSafety(SAFE_SIGNALS);
  });
});
