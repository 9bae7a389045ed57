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
});
