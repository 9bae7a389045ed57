import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, rigger, TSX } from '../../helpers/cli';
import { freePort } from '../../helpers/ports';

/** `rigger serve --device-listen ADDR:PORT`: the device endpoints beside the admin server. */
describe('rigger serve --device-listen', () => {
  it('refuses an address that is not ADDR:PORT before starting anything', async () => {
    const data = mkdtempSync(join(tmpdir(), 'rigger-devlisten-'));
    const r = await rigger('--data-dir', data, 'serve', '--device-listen', 'cranes:80', '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.err)).toMatchObject({ code: 'VALIDATION_ERROR' });
  }, 30_000);

  it('answers the device endpoints on their own port and nothing of the admin API', async () => {
    const data = mkdtempSync(join(tmpdir(), 'rigger-devlisten-'));
    const port = await freePort();
    const p = spawn(
      TSX,
      [CLI, '--data-dir', data, 'serve', '--device-listen', `127.0.0.1:${port}`, '--json'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      let out = '';
      const started = await new Promise<{ url: string; device_url: string }>((resolve, reject) => {
        p.stdout.on('data', (d) => {
          out += String(d);
          try {
            resolve(JSON.parse(out) as { url: string; device_url: string });
          } catch {
            // not all of it yet
          }
        });
        p.on('close', (code) => reject(new Error(`serve ended with ${code}`)));
      });
      expect(started.device_url).toBe(`http://127.0.0.1:${port}`);
      const check = await fetch(`http://127.0.0.1:${port}/api/v1/ota/check`, {
        headers: { 'X-Device-ID': 'node-1', 'X-Device-Token': 'nope' },
      });
      expect(check.status).toBe(401);
      expect((await fetch(`http://127.0.0.1:${port}/api/v1/devices`)).status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(404);
    } finally {
      p.kill('SIGTERM');
      await new Promise((r) => p.once('close', r));
    }
  }, 60_000);

  it('--seed-ports serves the admin API on the seed ports too, with the same token', async () => {
    const data = mkdtempSync(join(tmpdir(), 'rigger-seedports-'));
    const p = spawn(TSX, [CLI, '--data-dir', data, 'serve', '--seed-ports', '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let out = '';
      const started = await new Promise<{ token: string; seed_urls: string[] }>(
        (resolve, reject) => {
          p.stdout.on('data', (d) => {
            out += String(d);
            try {
              resolve(JSON.parse(out) as { token: string; seed_urls: string[] });
            } catch {
              // not all of it yet
            }
          });
          p.on('close', (code) => reject(new Error(`serve ended with ${code}`)));
        },
      );
      expect(started.seed_urls).toEqual([
        'http://127.0.0.1:8220/',
        'http://127.0.0.1:8221/',
        'http://127.0.0.1:8225/',
      ]);
      const auth = { Authorization: `Bearer ${started.token}` };
      const devices = await fetch('http://127.0.0.1:8220/api/v1/devices', { headers: auth });
      expect(devices.status).toBe(200);
      expect(await devices.json()).toMatchObject({ devices: [], total: 0 });
      const firmware = await fetch('http://127.0.0.1:8221/api/v1/ota/firmware', { headers: auth });
      expect(await firmware.json()).toEqual({ firmware: [] });
      const alerts = await fetch('http://127.0.0.1:8225/api/v1/telemetry/alerts', {
        headers: auth,
      });
      expect(await alerts.json()).toEqual({ alerts: [] });
      expect((await fetch('http://127.0.0.1:8225/api/v1/telemetry/alerts')).status).toBe(401);
    } finally {
      p.kill('SIGTERM');
      await new Promise((r) => p.once('close', r));
    }
  }, 60_000);
});
