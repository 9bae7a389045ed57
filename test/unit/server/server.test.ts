import { request } from 'node:http';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createCore, type Core } from '../../../src/main/core/core';
import { startServer, type RunningServer } from '../../../src/main/core/server/server';

let core: Core;
let server: RunningServer;
const staticDir = mkdtempSync(join(tmpdir(), 'rigger-static-'));

beforeAll(async () => {
  mkdirSync(join(staticDir, 'assets'));
  writeFileSync(join(staticDir, 'index.html'), '<html>rigger</html>');
  writeFileSync(join(tmpdir(), 'rigger-outside.txt'), 'outside');
  core = createCore({ dataDir: mkdtempSync(join(tmpdir(), 'rigger-srv-')), mode: 'test' });
  server = await startServer({ core, staticDir });
});
afterAll(async () => {
  await server.close();
  await core.close();
});

/** A raw HTTP request, so tests can send any Host header and path. */
function raw(
  method: string,
  path: string,
  opts: { token?: string | null; host?: string; body?: unknown; type?: string } = {},
) {
  return new Promise<{
    status: number;
    json: () => unknown;
    text: string;
    headers: Record<string, unknown>;
  }>((resolve, reject) => {
    const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        method,
        path,
        headers: {
          Host: opts.host ?? `127.0.0.1:${server.port}`,
          ...(opts.token !== null ? { Authorization: `Bearer ${opts.token ?? server.token}` } : {}),
          ...(body !== undefined ? { 'Content-Type': opts.type ?? 'application/json' } : {}),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () =>
          resolve({
            status: res.statusCode!,
            text,
            json: () => JSON.parse(text),
            headers: res.headers,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('browser-mode server', () => {
  it('binds 127.0.0.1 only, and refuses to bind elsewhere', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    await expect(startServer({ core, host: '0.0.0.0' })).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
    });
  });

  it('refuses the API without the token or with a wrong one, in the seed error shape', async () => {
    const none = await raw('POST', '/api/call/app.info', { token: null, body: {} });
    expect(none.status).toBe(401);
    expect(none.json()).toMatchObject({ error: true, code: 'UNAUTHORIZED' });
    expect(
      (await raw('POST', '/api/call/app.info', { token: 'x'.repeat(43), body: {} })).status,
    ).toBe(401);
    expect((await raw('GET', '/cloud-integration/settings', { token: null })).status).toBe(401);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    expect(
      (await raw('POST', '/api/call/app.info', { host: 'evil.example', body: {} })).status,
    ).toBe(403);
  });

  it('answers an operation, a bad input with the field named, an unknown op', async () => {
    expect((await raw('POST', '/api/call/app.info', { body: {} })).json()).toMatchObject({
      mode: 'test',
    });
    const bad = await raw('POST', '/api/call/gateways.add', {
      body: {
        name: 'ok',
        profile: 'univa-gw-pro',
        connection: {
          type: 'ssh',
          host: 'bad host',
          user: 'root',
          auth: { method: 'key', key_file: '/k' },
        },
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.json()).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: { issues: [expect.objectContaining({ field: 'connection.host' })] },
    });
    expect((await raw('POST', '/api/call/nope.nothing', { body: {} })).status).toBe(404);
    expect((await raw('POST', '/api/call/app.info', { body: {}, type: 'text/plain' })).status).toBe(
      400,
    );
  });

  it("serves the seed's REST paths", async () => {
    const s = await raw('GET', '/cloud-integration/settings');
    expect(s.status).toBe(200);
    expect(s.json()).toMatchObject({
      channels: { current: 'stable' },
      safety_constraints: { minimum_battery_level: 30 },
    });
    const upd = await raw('POST', '/cloud-integration/settings/update', {
      body: { channels: { current: 'beta' } },
    });
    expect(upd.json()).toMatchObject({
      status: 'updated',
      changes: { 'channels.current': { old: 'stable', new: 'beta' } },
    });
    const status = await raw('GET', '/cloud-integration/gateway/status?gateway=missing');
    expect(status.status).toBe(404);
  });

  it("accepts the seed's own settings/update example, naming the fields it ignored", async () => {
    const upd = await raw('POST', '/cloud-integration/settings/update', {
      body: {
        channels: { current: 'beta' },
        update_strategy: 'maintenance',
        maintenance_window: { schedule: 'weekends', time: '04:00', duration: 7200 },
        verification: { verify_signature: true, verify_checksum: true },
        notifications: { available_updates: true, download_complete: true },
      },
    });
    expect(upd.status).toBe(200);
    const r = upd.json() as { status: string; ignored: Array<{ field: string; reason: string }> };
    expect(r.status).toBe('updated');
    expect(r.ignored.map((i) => i.field).sort()).toEqual(['notifications', 'update_strategy']);
    const after = (await raw('GET', '/cloud-integration/settings')).json();
    expect(after).toMatchObject({ maintenance_window: { schedule: 'weekends', time: '04:00' } });
    expect(after).not.toHaveProperty('update_strategy');
  });

  it('serves the page with security headers, and refuses traversal', async () => {
    const page = await raw('GET', '/', { token: null });
    expect(page.status).toBe(200);
    expect(page.text).toContain('rigger');
    expect(String(page.headers['content-security-policy'])).toContain("default-src 'self'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect((await raw('GET', '/../rigger-outside.txt', { token: null })).status).toBe(404);
    expect((await raw('GET', '/%2e%2e/rigger-outside.txt', { token: null })).status).toBe(404);
  });

  it('refuses a WebSocket without the token, and pushes core events to one with it', async () => {
    const refused = await new Promise<boolean>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/events`);
      ws.on('open', () => resolve(false));
      ws.on('error', () => resolve(true));
    });
    expect(refused).toBe(true);
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/events?token=${server.token}`);
    await new Promise((r) => ws.on('open', r));
    const got = new Promise<unknown>((r) => ws.on('message', (m) => r(JSON.parse(String(m)))));
    await raw('POST', '/api/call/gateways.add', {
      body: {
        name: 'ws-gw',
        profile: 'univa-gw-pro',
        connection: {
          type: 'ssh',
          host: '10.0.0.9',
          user: 'root',
          auth: { method: 'key', key_file: '/k' },
        },
      },
    });
    expect(await got).toEqual({ type: 'gateways_changed' });
    ws.close();
  });
});

describe('seed REST paths with query parameters', () => {
  it('passes `gateway` through where the operation takes it, and numbers as numbers', async () => {
    const jobs = await raw('GET', '/cloud-integration/jobs?limit=5');
    expect(jobs.status).toBe(200);
    expect(jobs.json()).toMatchObject({ jobs: [], summary: { active: 0 } });
    const hist = await raw('GET', '/cloud-integration/history/updates?gateway=nope&limit=3');
    expect(hist.status).toBe(200);
    const logs = await raw('GET', '/cloud-integration/monitor/logs?gateway=nope&limit=10');
    expect(logs.json()).toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('nope'),
    });
  });
});
