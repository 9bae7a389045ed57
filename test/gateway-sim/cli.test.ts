import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { TSX } from '../helpers/cli';
import { makeSimImage } from './image';
import { freePort } from './sshd';

const CLI = join(__dirname, 'cli.ts');

/** Run `npm run gateway:sim -- ARGS` to its end. */
function simCli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(TSX, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code) => resolve({ code: code ?? -1, out, err }));
  });
}

describe('npm run gateway:sim', () => {
  it('--make-image writes the image the test gateway boots, gzip-compressed for .gz', async () => {
    const d = mkdtempSync(join(tmpdir(), 'rigger-simcli-'));
    const r = await simCli('--make-image', 'v5.1.0', join(d, 'gw.img.gz'), '--size', '65536');
    expect(r.code).toBe(0);
    const img = gunzipSync(readFileSync(join(d, 'gw.img.gz')));
    expect(img.equals(makeSimImage('v5.1.0', 65536))).toBe(true);
    await simCli('--make-image', 'v5.1.1', join(d, 'bad.img'), '--size', '4096', '--unhealthy');
    expect(
      readFileSync(join(d, 'bad.img')).equals(makeSimImage('v5.1.1', 4096, { healthy: false })),
    ).toBe(true);
  });

  it('refuses a bad version or size with the usage, writing nothing', async () => {
    const d = mkdtempSync(join(tmpdir(), 'rigger-simcli-'));
    const bad = await simCli('--make-image', 'banana', join(d, 'x.img'));
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/VERSION must look like v5\.1\.0/);
    expect(bad.err).toContain('--make-image VERSION OUT');
    const big = await simCli('--make-image', 'v1.0.0', join(d, 'y.img'), '--size', '1e9');
    expect(big.code).toBe(1);
    expect(() => readFileSync(join(d, 'y.img'))).toThrow();
  });

  it('--port puts its sshd on the port asked for', async () => {
    const port = await freePort();
    const p = spawn(TSX, [CLI, '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => p.on('close', resolve));
    while (!out.includes('Ctrl-C stops it.')) {
      if (p.exitCode !== null) throw new Error(`the sim ended: ${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(out).toContain(`root@127.0.0.1:${port}`);
    const banner = await new Promise<string>((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('data', (b) => {
        resolve(b.toString());
        s.destroy();
      });
      s.once('error', reject);
    });
    expect(banner).toMatch(/^SSH-2\.0-OpenSSH/);
    p.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});
