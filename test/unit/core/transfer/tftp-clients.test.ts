import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TftpServer, type TftpTransferEvent } from '../../../../src/main/core/transfer/tftp-server';

/** Real TFTP clients (curl, tftp-hpa) against Rigger's server on 127.0.0.1. */
let server: TftpServer;
let dir: string;
const events: TftpTransferEvent[] = [];
const image = randomBytes(3 * 1024 * 1024 + 77);
const exact = randomBytes(1468 * 100); // a multiple of the block size: ends with an empty block

/** Run a client without blocking this process: the server answers from the same event loop. */
function run(
  cmd: string,
  args: string[],
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { cwd: dir, timeout: 30_000 });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
const curl = (...args: string[]) => run('curl', ['-s', '-S', '--max-time', '30', ...args]);
const tftpHpa = (mode: string, command: string) =>
  run('tftp', ['-m', mode, '127.0.0.1', String(server.port), '-c', ...command.split(' ')]);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rigger-tftp-'));
  writeFileSync(join(dir, 'image.bin'), image);
  writeFileSync(join(dir, 'secret.txt'), 'not registered');
  server = await TftpServer.start({
    address: '127.0.0.1',
    port: 0,
    onTransfer: (e) => events.push(e),
  });
  server.register('chunk-0001.gz', { path: join(dir, 'image.bin') });
  server.register('exact.bin', { data: exact });
});

afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('TFTP server with real clients', async () => {
  it('serves a registered file to curl with blksize 1468 (tsize negotiated)', async () => {
    const out = join(dir, 'got-curl.bin');
    const r = await curl(
      '-o',
      out,
      `tftp://127.0.0.1:${server.port}/chunk-0001.gz`,
      '--tftp-blksize',
      '1468',
    );
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(out).equals(image)).toBe(true);
    expect(
      events.some(
        (e) => e.name === 'chunk-0001.gz' && e.status === 'done' && e.bytes === image.length,
      ),
    ).toBe(true);
    // curl asks blksize and tsize (RFC 2348, 2349): both granted in the OACK.
    expect(
      events.find((e) => e.name === 'chunk-0001.gz' && e.status === 'started')?.options,
    ).toMatchObject({ blksize: '1468', tsize: String(image.length) });
  });

  it('serves curl with its default block size and a file that ends on a block boundary', async () => {
    const out = join(dir, 'got-exact.bin');
    const r = await curl(
      '-o',
      out,
      `tftp://127.0.0.1:${server.port}/exact.bin`,
      '--tftp-blksize',
      '1468',
    );
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(out).equals(exact)).toBe(true);
    const r2 = await curl('-o', out, `tftp://127.0.0.1:${server.port}/chunk-0001.gz`);
    expect(r2.status, r2.stderr).toBe(0);
    expect(readFileSync(out).equals(image)).toBe(true);
  });

  it('rolls block numbers over past 65535 (a 35 MB file in 512-byte blocks)', async () => {
    const big = randomBytes(512 * 70_000 + 3);
    server.register('big.bin', { data: big });
    const out = join(dir, 'got-big.bin');
    const r = await curl(
      '-o',
      out,
      `tftp://127.0.0.1:${server.port}/big.bin`,
      '--tftp-blksize',
      '512',
    );
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(out).equals(big)).toBe(true);
    // 70,000 lock-step round trips with a real curl: seconds, more on a busy machine.
  }, 60_000);

  it('serves plain RFC 1350 (no options) to tftp-hpa in binary mode', async () => {
    const r = await tftpHpa('binary', 'get chunk-0001.gz got-hpa.bin');
    expect(r.stdout + r.stderr).not.toMatch(/error/i);
    expect(readFileSync(join(dir, 'got-hpa.bin')).equals(image)).toBe(true);
  });

  it('answers File not found for a name it did not register (curl exit 68)', async () => {
    const r = await curl('-o', join(dir, 'x'), `tftp://127.0.0.1:${server.port}/secret.txt`);
    expect(r.status).toBe(68);
    expect(events.some((e) => e.name === 'secret.txt' && e.status === 'refused')).toBe(true);
  });

  it('answers Access violation for paths with .. and absolute paths (curl exit 69)', async () => {
    const up = await curl(
      '--path-as-is',
      '-o',
      join(dir, 'x'),
      `tftp://127.0.0.1:${server.port}/../${dir}/image.bin`,
    );
    expect(up.status).toBe(69);
    const abs = await curl(
      '-o',
      join(dir, 'x'),
      `tftp://127.0.0.1:${server.port}/${dir}/image.bin`,
    );
    expect(abs.status).toBe(69);
    expect(
      events.some((e) => e.name === `${dir}/image.bin` && e.error === 'Access violation'),
    ).toBe(true);
  });

  it('refuses write requests from curl and tftp-hpa, and writes nothing', async () => {
    const r = await curl(
      '-T',
      join(dir, 'secret.txt'),
      `tftp://127.0.0.1:${server.port}/upload.txt`,
    );
    expect(r.status).toBe(69);
    const h = await tftpHpa('binary', 'put secret.txt chunk-0001.gz');
    expect(h.stdout + h.stderr).toMatch(/Error code 2/);
    const out = join(dir, 'after-put.bin');
    expect((await curl('-o', out, `tftp://127.0.0.1:${server.port}/chunk-0001.gz`)).status).toBe(0);
    expect(readFileSync(out).equals(image)).toBe(true);
    expect(existsSync(join(dir, 'upload.txt'))).toBe(false);
  });

  it('refuses netascii (tftp-hpa default mode): it serves images, byte for byte', async () => {
    const h = await tftpHpa('netascii', 'get chunk-0001.gz got-ascii.bin');
    expect(h.stdout + h.stderr).toMatch(/Error code 4/);
  });

  it('stops serving a name once it is unregistered', async () => {
    server.register('gone.bin', { data: Buffer.from('x') });
    server.unregister('gone.bin');
    expect(
      (await curl('-o', join(dir, 'x'), `tftp://127.0.0.1:${server.port}/gone.bin`)).status,
    ).toBe(68);
  });

  it('registers only plain names', () => {
    expect(() => server.register('../x', { data: Buffer.alloc(1) })).toThrow(/Not a name/);
    expect(() => server.register('/etc/passwd', { data: Buffer.alloc(1) })).toThrow(/Not a name/);
    expect(() => server.register('a/b', { data: Buffer.alloc(1) })).toThrow(/Not a name/);
  });
});
