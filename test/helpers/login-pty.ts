import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LoginPty {
  /** The console end, opened with serialport as a USB adapter would be. */
  path: string;
  stop(): Promise<void>;
}

/**
 * A real shell behind a login prompt on a pty (socat), as a gateway's serial console shows
 * Linux: `gw login:`, `Password:`, then `/bin/sh -i` for the right user and password.
 */
export async function startLoginPty(user: string, password: string): Promise<LoginPty> {
  const dir = mkdtempSync(join(tmpdir(), 'rigger-login-'));
  const script = join(dir, 'login.sh');
  writeFileSync(
    script,
    [
      '#!/bin/sh',
      'while :; do',
      "  printf 'gw login: '; read -r u",
      "  printf 'Password: '; stty -echo; read -r p; stty echo; echo",
      `  if [ "$u" = '${user}' ] && [ "$p" = '${password}' ]; then PS1='# ' exec /bin/sh -i; fi`,
      "  echo 'Login incorrect'",
      'done',
      '',
    ].join('\n'),
  );
  const path = join(dir, 'ttyGW');
  const proc: ChildProcess = spawn(
    'socat',
    [`pty,raw,echo=0,link=${path}`, `EXEC:/bin/sh ${script},pty,stderr,setsid,ctty,sane`],
    { stdio: 'ignore' },
  );
  for (let i = 0; i < 100 && !existsSync(path); i++) await new Promise((r) => setTimeout(r, 50));
  if (!existsSync(path)) throw new Error('socat did not make the pty');
  return {
    path,
    stop: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        };
        if (proc.exitCode !== null || proc.signalCode !== null) return done();
        proc.once('exit', done);
        proc.kill('SIGTERM');
      }),
  };
}
