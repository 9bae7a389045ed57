import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../gateway-sim/sshd';

export interface Broker {
  port: number;
  url(user: string, password: string): string;
  /** Stop the broker (a site broker going away); `start` brings it back on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
}

async function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

/**
 * Debian's mosquitto on 127.0.0.1 with its own config and a password file: no anonymous
 * clients, the users given here only.
 */
export async function startMosquitto(
  users: Record<string, string>,
  /** More lines of mosquitto.conf (the ingest bench raises the per-client queue). */
  extraConfig: string[] = [],
): Promise<Broker> {
  const dir = mkdtempSync(join(tmpdir(), 'rigger-mqtt-'));
  const pw = join(dir, 'passwd');
  writeFileSync(pw, '');
  for (const [u, p] of Object.entries(users)) execFileSync('mosquitto_passwd', ['-b', pw, u, p]);
  const port = await freePort();
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(
    conf,
    [
      `listener ${port} 127.0.0.1`,
      'user root',
      'allow_anonymous false',
      `password_file ${pw}`,
      'persistence false',
      ...extraConfig,
      '',
    ].join('\n'),
  );
  let proc: ChildProcess | null = null;
  const start = async () => {
    proc = spawn('/usr/sbin/mosquitto', ['-c', conf], { stdio: 'ignore' });
    for (let i = 0; i < 100 && !(await listening(port)); i++)
      await new Promise((r) => setTimeout(r, 50));
  };
  await start();
  return {
    port,
    url: (u, p) => `mqtt://${encodeURIComponent(u)}:${encodeURIComponent(p)}@127.0.0.1:${port}`,
    start,
    stop: () =>
      new Promise<void>((resolve) => {
        const p = proc;
        if (!p || p.exitCode !== null) return resolve();
        p.once('exit', () => resolve());
        p.kill('SIGTERM');
      }),
  };
}
