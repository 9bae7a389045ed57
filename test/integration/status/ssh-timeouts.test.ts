import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../../src/main/core/core';
import { connectSsh, type SshSession } from '../../../src/main/core/gateways/ssh-session';
import { startGatewaySim, type GatewaySim } from '../../gateway-sim';

/** Pids of processes whose command line is exactly `argv` (read from /proc). */
function processesRunning(argv: string[]): number[] {
  const want = argv.join('\0');
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0$/, '') === want)
        pids.push(Number(name));
    } catch {
      // Gone while we looked.
    }
  }
  return pids;
}

describe('SSH connect timeout: a host that accepts TCP and never speaks SSH', () => {
  let server: net.Server;
  let port: number;
  const sockets: net.Socket[] = [];
  beforeAll(async () => {
    // Accepts, holds the connection open, never sends the SSH banner.
    server = net.createServer((s) => sockets.push(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('fails with HOST_UNREACHABLE naming host and port, within the configured connect timeout', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rigger-it-'));
    const key = join(dataDir, 'id_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
    const core = createCore({ dataDir, mode: 'test' });
    try {
      const timeoutMs = 1500;
      await core.call('settings.update', { rigger: { ssh_connect_timeout_ms: timeoutMs } });
      await core.call('gateways.add', {
        name: 'silent',
        profile: 'univa-gw-pro',
        connection: {
          type: 'ssh',
          host: '127.0.0.1',
          port,
          user: 'root',
          auth: { method: 'key', key_file: key },
        },
      });
      const err = await core.gateways.status('silent', 'accept-new').then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toMatchObject({
        code: 'HOST_UNREACHABLE',
        message: expect.stringContaining(`127.0.0.1 port ${port}`),
        details: { host: '127.0.0.1', port, timeout_ms: timeoutMs },
      });
      expect((err as Error).message).toMatch(/within 2 s|within 1 s/);
      // The listener really held the connection (it is a timeout, not a refusal), and the
      // timeout that ran out is the configured one (details and message), not the 10 s default.
      expect(sockets.length).toBeGreaterThan(0);
    } finally {
      await core.close();
    }
  });
});

describe('SSH command timeout on the test gateway', () => {
  let sim: GatewaySim;
  let session: SshSession;
  beforeAll(async () => {
    sim = await startGatewaySim({ scheme: 'bootcount' });
    session = await connectSsh(
      { host: sim.host, port: sim.port, user: sim.user, privateKeyFile: sim.keyFile },
      { pinned: { fingerprint: sim.hostKeyFingerprint }, acceptNew: false },
      { connectTimeoutMs: 10_000, commandTimeoutMs: 1500 },
    );
  });
  afterAll(async () => {
    await session?.close();
    await sim?.stop();
  });

  it('kills a command past the timeout with COMMAND_TIMEOUT, and the session stays usable', async () => {
    // An odd duration, so the remote process can be found and told apart from others.
    const argv = ['sleep', '31.4159'];
    const err = await session.exec(argv.join(' ')).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({
      code: 'COMMAND_TIMEOUT',
      message: expect.stringMatching(/did not finish within 2 s/),
      details: { command: 'sleep 31.4159', timeout_ms: 1500 },
    });
    expect(String((err as Error).message)).toContain(`127.0.0.1:${sim.port}`);
    // The same session runs the next command, with its output and exit status.
    const r = await session.exec('echo still-here; exit 4');
    expect(r).toMatchObject({ code: 4 });
    expect(r.stdout.toString()).toBe('still-here\n');
    expect(session.closed).toBe(false);
    // Rigger's pid line never shows in a command's own stderr.
    expect((await session.exec('echo oops >&2')).stderr.toString()).toBe('oops\n');
    // The timed-out command does not linger on the gateway.
    for (let i = 0; i < 50 && processesRunning(argv).length; i++)
      await new Promise((res) => setTimeout(res, 100));
    expect(processesRunning(argv)).toEqual([]);
  });

  it('a per-call timeout overrides the session default', async () => {
    await expect(session.exec('sleep 30', { timeoutMs: 1000 })).rejects.toMatchObject({
      code: 'COMMAND_TIMEOUT',
      details: { timeout_ms: 1000 },
    });
    expect((await session.exec('true')).code).toBe(0);
  });
});
