import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { freePort } from '../helpers/ports';

// Ports come from the claims of test/helpers/ports.ts, so test files can run side by side.
export { freePort } from '../helpers/ports';

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

/** All processes below `root`, read from /proc (children first found, then theirs). */
function descendants(root: number): number[] {
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ')'.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parent.set(Number(name), ppid);
    } catch {
      // The process ended while we looked.
    }
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length) {
    const p = queue.shift()!;
    for (const [pid, pp] of parent) {
      if (pp !== p || out.includes(pid)) continue;
      out.push(pid);
      queue.push(pid);
    }
  }
  return out;
}

export interface Sshd {
  port: number;
  stop(): Promise<void>;
  /** Power cut: every session and the listener killed at once, nothing closed gracefully. */
  crash(): Promise<void>;
}

export interface PasswordUser {
  name: string;
  password: string;
  home: string;
}

/**
 * Copies of /etc/passwd and /etc/shadow for sshd's own mount namespace, in `dir`. Every login's
 * shell is a plain POSIX shell (`/bin/sh`), as on a gateway's BusyBox: this machine's root logs
 * in to bash, whose dotfiles cost most of a second per command and would be measured as
 * Rigger's. With `u`, one more throwaway user: a uid-0 alias, as a gateway's maintenance login
 * must be (it writes the slots and the environment). The copies are bound over the real files
 * only inside sshd's own mount namespace.
 */
function writeUserFiles(dir: string, u?: PasswordUser): { passwd: string; shadow: string } {
  const passwdText = readFileSync('/etc/passwd', 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => l.replace(/:[^:]*$/, ':/bin/sh'))
    .join('\n');
  let shadowText = readFileSync('/etc/shadow', 'utf8').trimEnd();
  let extra = '';
  if (u) {
    if (!/^[a-z_][a-z0-9_-]{0,30}$/.test(u.name)) throw new Error(`bad user name ${u.name}`);
    if (passwdText.split('\n').some((l) => l.startsWith(`${u.name}:`)))
      throw new Error(`user ${u.name} already exists on this machine`);
    // The hash is made by openssl from stdin, so the password never shows in a process list.
    const hash = execFileSync('openssl', ['passwd', '-6', '-stdin'], { input: `${u.password}\n` })
      .toString()
      .trim();
    const today = Math.floor(Date.now() / 86_400_000);
    extra = `${u.name}:x:0:0:Rigger test gateway:${u.home}:/bin/sh\n`;
    shadowText += `\n${u.name}:${hash}:${today}:0:99999:7:::`;
  }
  const passwd = join(dir, 'passwd');
  const shadow = join(dir, 'shadow');
  writeFileSync(passwd, `${passwdText}\n${extra}`);
  writeFileSync(shadow, `${shadowText}\n`, { mode: 0o600 });
  return { passwd, shadow };
}

/**
 * Start a real OpenSSH sshd on 127.0.0.1 with its own config in `dir`, its logins' shell a plain
 * `/bin/sh` (see writeUserFiles). With `password`, a throwaway password user exists for it
 * alone; the machine's own users and passwords are never changed.
 */
export async function startSshd(
  dir: string,
  opts: { path?: string; port?: number; password?: PasswordUser; sftp?: boolean },
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
      // The password user is a uid-0 alias: root logins are allowed, but root itself by key only.
      `PermitRootLogin ${opts.password ? 'yes' : 'prohibit-password'}`,
      `PasswordAuthentication ${opts.password ? 'yes' : 'no'}`,
      'PermitEmptyPasswords no',
      'KbdInteractiveAuthentication no',
      'MaxStartups 100',
      'MaxSessions 50',
      'LogLevel ERROR',
      // No ~/.ssh/rc or environment files of this machine's users: a gateway has none.
      'PermitUserRC no',
      'PermitUserEnvironment no',
      ...(opts.path ? [`SetEnv PATH=${opts.path}`] : []),
      // OpenSSH's own SFTP server, in-process, for tests that keep backups on a file server.
      ...(opts.sftp ? ['Subsystem sftp internal-sftp'] : []),
      // Match blocks go last: everything after one belongs to it.
      ...(opts.password
        ? [`Match User *,!${opts.password.name}`, '  PasswordAuthentication no']
        : []),
      '',
    ].join('\n'),
  );
  const sshdArgs = ['-D', '-e', '-f', config];
  // sshd runs in a private mount namespace (`unshare -m`, so nothing leaks to the machine) where
  // the passwd/shadow copies are bound over the real ones. unshare and sh exec in place: the pid
  // stays sshd's, so stop() and crash() work unchanged.
  const files = writeUserFiles(dir, opts.password);
  const script =
    'mount --bind "$1" /etc/passwd && mount --bind "$2" /etc/shadow && shift 2 && exec /usr/sbin/sshd "$@"';
  const proc: ChildProcess = spawn(
    'unshare',
    [
      '--mount',
      '--propagation',
      'private',
      '--',
      '/bin/sh',
      '-c',
      script,
      'sh',
      files.passwd,
      files.shadow,
      ...sshdArgs,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  await waitForPort(port, proc, () => err);
  const exited = new Promise<void>((resolve) => {
    if (proc.exitCode !== null) resolve();
    else proc.once('exit', () => resolve());
  });
  return {
    port,
    async crash() {
      if (proc.exitCode !== null) return;
      // Every process under the listener (per-connection sshd, privilege-separated children,
      // the commands they run) dies at the same instant, as with a power cut.
      proc.kill('SIGSTOP');
      for (const pid of descendants(proc.pid!)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      proc.kill('SIGKILL');
      await exited;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}
