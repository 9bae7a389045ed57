import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';

/** A free TCP port on 127.0.0.1 (listen on 0, read it, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** `SHA256:…` of a public key file, as ssh-keygen -lf prints it. */
export function fingerprintOfPub(pubFile: string): string {
  return execFileSync('ssh-keygen', ['-lf', pubFile]).toString().split(' ')[1]!;
}

/** Make a fresh ed25519 key pair at `path` (private) and `path.pub`. */
export function makeKey(path: string): void {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'rigger-sim', '-f', path]);
}

async function waitForPort(port: number, proc: ChildProcess, stderr: () => string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (proc.exitCode !== null) throw new Error(`sshd exited (${proc.exitCode}): ${stderr()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`sshd did not listen on 127.0.0.1:${port}: ${stderr()}`);
}

export interface Sshd {
  port: number;
  stop(): Promise<void>;
}

/** Start a real OpenSSH sshd on 127.0.0.1 with its own config in `dir`. */
export async function startSshd(
  dir: string,
  opts: { path?: string; port?: number },
): Promise<Sshd> {
  mkdirSync('/run/sshd', { recursive: true });
  const port = opts.port ?? (await freePort());
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${join(dir, 'host_ed25519')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      'UsePAM no',
      'StrictModes no',
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'MaxStartups 100',
      'MaxSessions 50',
      'LogLevel ERROR',
      ...(opts.path ? [`SetEnv PATH=${opts.path}`] : []),
      '',
    ].join('\n'),
  );
  const proc = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', config], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  await waitForPort(port, proc, () => err);
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}
