import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core/core';
import { TERMINAL_EVENT } from '../../../src/main/core/plugins/ota-socket';
import { startServer, type RunningServer } from '../../../src/main/core/server/server';
import type { TerminalLine } from '../../../src/shared/plugins';
import { startGatewaySim, type GatewaySim } from '../../gateway-sim';
import { makeSigningKey, pluginZip, writeZip } from '../../unit/core/plugins/plugin-zip';
import { pluginCore } from './core-setup';

const key = makeSigningKey();
const MAX_ZIP = 64 * 1024;

/**
 * The seed ota-plugin-zip-api.md over real HTTP: Rigger's browser-mode server with a real core,
 * the test gateway behind it, and socket.io-client on the `/ota-update` namespace.
 */
describe('plugin ZIP endpoints and the /ota-update namespace on the server', () => {
  let sim: GatewaySim;
  let core: Core;
  let server: RunningServer;
  let base: string;
  const clients: Socket[] = [];
  let zips = 0;
  const uploads = () => {
    try {
      return readdirSync(join(core.info.data_dir, 'tmp', 'plugin-uploads'));
    } catch {
      return [];
    }
  };

  beforeAll(async () => {
    sim = await startGatewaySim({ plugins: {} });
    ({ core } = await pluginCore(sim, key));
    server = await startServer({ core, maxPluginZipBytes: MAX_ZIP });
    base = server.url.replace(/\/$/, '');
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await server?.close();
    await core?.close();
    await sim?.stop();
  });

  const auth = () => ({ Authorization: `Bearer ${server.token}` });
  const upload = async (form: FormData, headers: Record<string, string> = auth()) => {
    const r = await fetch(`${base}/ota-update`, { method: 'POST', headers, body: form });
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };
  const zipForm = (bytes: Buffer | string, name = 'plugin.zip', gateway = 'gw') => {
    const f = new FormData();
    f.set('gateway', gateway);
    f.set('ota_zip_file', new Blob([bytes]), name);
    return f;
  };
  const signedZip = async (spec: Parameters<typeof pluginZip>[0] = {}) =>
    writeZip(
      join(tmpdir(), `rigger-srv-${process.pid}-${++zips}.zip`),
      await pluginZip({ key: key.privateKey, ...spec }),
    );
  const progressOf = async (id: string) => {
    let p: Record<string, unknown> = {};
    for (let i = 0; i < 600; i++) {
      const r = await fetch(`${base}/ota-update-progress/${id}`, { headers: auth() });
      p = (await r.json()) as Record<string, unknown>;
      if (p.status === 'complete' || p.status === 'error') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    return p;
  };
  const open = (token: string) => {
    const c = connect(`${base}/ota-update`, {
      auth: { token },
      transports: ['websocket'],
      reconnection: false,
    });
    clients.push(c);
    return c;
  };

  it('answers the seed 400 texts, bounds the upload, and wants the token', async () => {
    const noFile = await fetch(`${base}/ota-update`, { method: 'POST', headers: auth() });
    expect(noFile.status).toBe(400);
    expect(await noFile.json()).toMatchObject({ success: false, error: 'No file provided' });
    expect(await upload(zipForm('x', ''))).toMatchObject({
      status: 400,
      body: { error: 'No file selected' },
    });
    expect(await upload(zipForm('not a zip', 'notes.txt'))).toMatchObject({
      status: 400,
      body: { error: 'Invalid file type. Please upload a ZIP file' },
    });
    const big = await upload(zipForm(Buffer.alloc(MAX_ZIP + 1, 1)));
    expect(big.status).toBe(413);
    expect(big.body.error).toMatch(/larger than 65536 bytes/);
    expect(await upload(zipForm('PK\x03\x04'), {})).toMatchObject({ status: 401 });
    const twoFiles = zipForm(readFileSync(await signedZip()));
    twoFiles.append('other_file', new Blob(['x']), 'x.zip');
    expect(await upload(twoFiles)).toMatchObject({
      status: 400,
      body: { error: 'Send one file at a time' },
    });
    expect(uploads()).toEqual([]);
    const missing = await fetch(`${base}/ota-update-progress/nope`, { headers: auth() });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ status: 'not_found', error: 'Update not found' });
  });

  it('refuses a namespace client without the token', async () => {
    const err = await new Promise<Error>((r) => open('wrong').on('connect_error', r));
    expect(err.message).toBe('Missing or wrong access token');
  });

  it('installs an uploaded ZIP, streaming the terminal output, until complete', async () => {
    const c = open(server.token);
    await new Promise<void>((r) => c.on('connect', () => r()));
    const got: TerminalLine[] = [];
    c.on(TERMINAL_EVENT, (l: TerminalLine) => got.push(l));
    // The UI follows the same lines on the core's event stream.
    const ws = new WebSocket(`${base.replace('http', 'ws')}/api/events?token=${server.token}`);
    const events: Array<{ type: string; line?: string; update_id?: string }> = [];
    ws.on('message', (m: Buffer) => events.push(JSON.parse(m.toString()) as (typeof events)[0]));
    await new Promise((r) => ws.once('open', r));
    const started = await upload(zipForm(readFileSync(await signedZip())));
    expect(started).toMatchObject({
      status: 200,
      body: { success: true, status: 'pending', progress: 0 },
    });
    const id = started.body.update_id as string;
    expect(await progressOf(id)).toMatchObject({
      success: true,
      status: 'complete',
      progress: 100,
      message: 'Operation completed successfully',
    });
    await new Promise<void>((r) => {
      const t = setInterval(
        () => got.at(-1)?.line === 'Operation completed successfully' && (clearInterval(t), r()),
        20,
      );
    });
    const lines = got.filter((l) => l.update_id === id).map((l) => l.line);
    expect(lines).toContain('Starting plugin acs-zoning 1.0.0');
    const { lines: kept } = await core.call('plugins.terminal', { update_id: id });
    expect(lines).toEqual(kept.map((l) => l.line));
    const viaEvents = () =>
      events.filter((e) => e.type === 'plugin_terminal' && e.update_id === id).map((e) => e.line);
    await new Promise<void>((r) => {
      const t = setInterval(
        () => viaEvents().length === lines.length && (clearInterval(t), r()),
        20,
      );
    });
    expect(viaEvents()).toEqual(lines);
    ws.close();
    expect(await core.call('plugins.list', { gateway: 'gw' })).toMatchObject([
      { name: 'acs-zoning', active_version: '1.0.0', state: 'active' },
    ]);
    expect(uploads()).toEqual([]);
  });

  it('puts a configure ZIP into config_dir through POST /ota-configure', async () => {
    const cfg = sim.plugins!.profile.config_dir;
    const zip = await signedZip({
      name: 'ota-config',
      version: '1',
      files: { 'ota.conf': Buffer.from('server=offline\n') },
    });
    const form = zipForm(readFileSync(zip));
    const r = await fetch(`${base}/ota-configure`, { method: 'POST', headers: auth(), body: form });
    const started = (await r.json()) as { update_id: string };
    expect(r.status).toBe(200);
    expect(await progressOf(started.update_id)).toMatchObject({ status: 'complete' });
    expect(readFileSync(join(cfg, 'ota.conf'), 'utf8')).toBe('server=offline\n');
  });
});
