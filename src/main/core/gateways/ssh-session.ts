import { readFileSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { Client, type ClientChannel, type ConnectConfig } from 'ssh2';
import { RiggerError } from '../../../shared/errors';
import { algorithmOf, fingerprintOf, sameFingerprint } from './host-key';
import type { ExecOptions, ExecResult, GatewaySession } from './session';

export interface SshTarget {
  host: string;
  port: number;
  user: string;
  /** Exactly one of these. */
  privateKeyFile?: string;
  password?: string;
}

/**
 * How a host key is judged. `pinned` is the stored key; with none, `acceptNew` decides whether
 * the offered one is trusted (and reported through `onNewKey` to be pinned) or refused.
 */
export interface HostKeyCheck {
  pinned: { fingerprint: string } | null;
  acceptNew: boolean;
  /** A fingerprint the user has just confirmed: a first key must equal it. */
  expected?: string;
}

export interface SshOptions {
  connectTimeoutMs: number;
  commandTimeoutMs: number;
}

export interface SshSession extends GatewaySession {
  readonly hostKey: { algorithm: string; fingerprint: string };
  /**
   * Run a command whose standard input is streamed (an image into a slot): the caller writes
   * `stdin` with backpressure and ends it; `done` settles when the command exits.
   */
  execStream(command: string): Promise<{ stdin: Writable; done: Promise<ExecResult> }>;
  /**
   * Run a command whose standard output is streamed (a snapshot archive from the gateway): the
   * caller reads `stdout`; `done` settles when the command exits (its `stdout` is then empty).
   */
  execRead(command: string): Promise<{ stdout: Readable; done: Promise<ExecResult> }>;
}

const describe = (t: SshTarget) => `${t.user}@${t.host}:${t.port}`;

/** Turn ssh2's connection errors into errors a technician can act on. */
function connectError(
  err: Error & { level?: string; code?: string },
  t: SshTarget,
  timeoutMs: number,
): RiggerError {
  const where = `${t.host} port ${t.port}`;
  if (err.level === 'client-authentication') {
    return new RiggerError(
      'AUTH_FAILED',
      `The gateway at ${where} refused the login of user "${t.user}"`,
      {
        host: t.host,
        port: t.port,
        user: t.user,
      },
      ['Check the user name', 'Check the key file or password stored for this gateway'],
    );
  }
  if (
    err.level === 'client-timeout' ||
    /timed out/i.test(err.message) ||
    err.code === 'ETIMEDOUT'
  ) {
    return new RiggerError(
      'HOST_UNREACHABLE',
      `No answer from ${where} within ${Math.round(timeoutMs / 1000)} s`,
      {
        host: t.host,
        port: t.port,
        timeout_ms: timeoutMs,
      },
      [
        "Check the network cable and the gateway's IP address",
        'Connect the serial console and use Recover',
      ],
    );
  }
  const reason =
    err.code === 'ECONNREFUSED'
      ? 'the connection was refused (no SSH server listening)'
      : err.code === 'EHOSTUNREACH' || err.code === 'ENETUNREACH'
        ? 'there is no route to it'
        : err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN'
          ? 'the name cannot be resolved'
          : err.message;
  return new RiggerError(
    'HOST_UNREACHABLE',
    `Cannot reach ${where}: ${reason}`,
    {
      host: t.host,
      port: t.port,
      cause: err.code ?? err.message,
    },
    [
      "Check the network cable and the gateway's IP address",
      'Connect the serial console and use Recover',
    ],
  );
}

/** Connect over SSH, checking the host key against the pinned one before any login. */
export function connectSsh(
  target: SshTarget,
  check: HostKeyCheck,
  options: SshOptions,
): Promise<SshSession> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    let offered: { algorithm: string; fingerprint: string } | null = null;
    let keyError: RiggerError | null = null;
    let settled = false;
    const fail = (err: RiggerError) => {
      if (settled) return;
      settled = true;
      client.end();
      reject(err);
    };

    const config: ConnectConfig = {
      host: target.host,
      port: target.port,
      username: target.user,
      readyTimeout: options.connectTimeoutMs,
      keepaliveInterval: 5000,
      keepaliveCountMax: 3,
      hostVerifier: (key: Buffer) => {
        offered = { algorithm: algorithmOf(key), fingerprint: fingerprintOf(key) };
        keyError = judgeHostKey(offered, check, target);
        return keyError === null;
      },
    };
    try {
      if (target.privateKeyFile) config.privateKey = readFileSync(target.privateKeyFile);
      else if (target.password !== undefined) config.password = target.password;
    } catch (err) {
      reject(
        new RiggerError(
          'AUTH_FAILED',
          `The key file ${target.privateKeyFile} cannot be read: ${(err as Error).message}`,
          {
            key_file: target.privateKeyFile,
          },
          ["Check the key file path in the gateway's settings"],
        ),
      );
      return;
    }

    client.on('ready', () => {
      if (settled) return;
      settled = true;
      resolve(makeSession(client, target, offered!, options));
    });
    client.on('error', (err: Error & { level?: string; code?: string }) => {
      if (keyError) fail(keyError);
      else if (
        err.message?.includes('privateKey') ||
        err.message?.includes('Cannot parse privateKey')
      ) {
        fail(
          new RiggerError(
            'AUTH_FAILED',
            `The key file ${target.privateKeyFile} is not a usable private key: ${err.message}`,
            {
              key_file: target.privateKeyFile,
            },
          ),
        );
      } else fail(connectError(err, target, options.connectTimeoutMs));
    });
    try {
      client.connect(config);
    } catch (err) {
      fail(
        new RiggerError('AUTH_FAILED', `Cannot start the SSH login: ${(err as Error).message}`, {
          target: describe(target),
        }),
      );
    }
  });
}

/** Null when the key is acceptable; otherwise the error that explains why not. */
function judgeHostKey(
  offered: { algorithm: string; fingerprint: string },
  check: HostKeyCheck,
  t: SshTarget,
): RiggerError | null {
  if (check.pinned) {
    if (sameFingerprint(check.pinned.fingerprint, offered.fingerprint)) return null;
    return new RiggerError(
      'HOST_KEY_CHANGED',
      `The host key of ${t.host}:${t.port} has changed: stored ${check.pinned.fingerprint}, offered ${offered.fingerprint}. Rigger did not connect.`,
      {
        host: t.host,
        port: t.port,
        stored_fingerprint: check.pinned.fingerprint,
        offered_fingerprint: offered.fingerprint,
        algorithm: offered.algorithm,
      },
      [
        'If the gateway was re-installed or replaced, confirm its new key and replace the stored one',
        'Otherwise do not connect: something may be impersonating the gateway',
      ],
    );
  }
  if (check.expected) {
    if (sameFingerprint(check.expected, offered.fingerprint)) return null;
    return new RiggerError(
      'HOST_KEY_CHANGED',
      `The gateway at ${t.host}:${t.port} offered ${offered.fingerprint}, not the key ${check.expected} that was confirmed`,
      {
        host: t.host,
        port: t.port,
        stored_fingerprint: check.expected,
        offered_fingerprint: offered.fingerprint,
        algorithm: offered.algorithm,
      },
      ["Check the gateway's key again before trusting it"],
    );
  }
  if (check.acceptNew) return null;
  return new RiggerError(
    'HOST_KEY_UNKNOWN',
    `First connection to ${t.host}:${t.port}: its host key ${offered.fingerprint} (${offered.algorithm}) is not trusted yet`,
    {
      host: t.host,
      port: t.port,
      offered_fingerprint: offered.fingerprint,
      algorithm: offered.algorithm,
    },
    [
      "Compare the fingerprint with the gateway's own key, then trust it",
      'On the command line add --accept-new-host-key',
    ],
  );
}

function makeSession(
  client: Client,
  target: SshTarget,
  hostKey: { algorithm: string; fingerprint: string },
  options: SshOptions,
): SshSession {
  let closed = false;
  let lostReason: string | null = null;
  client.on('close', () => {
    closed = true;
  });
  client.on('error', (err) => {
    lostReason = err.message;
    closed = true;
  });
  const where = describe(target);

  return {
    kind: 'ssh',
    target: where,
    hostKey,
    get closed() {
      return closed;
    },
    exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
      const timeoutMs = opts.timeoutMs ?? options.commandTimeoutMs;
      return new Promise((resolve, reject) => {
        if (closed) {
          reject(lost(where, lostReason));
          return;
        }
        client.exec(withPid(command), (err, channel: ClientChannel) => {
          if (err) {
            reject(lost(where, err.message));
            return;
          }
          const out: Buffer[] = [];
          const errOut = pidReader();
          let code: number | null = null;
          let signal: string | null = null;
          let done = false;
          const timer = setTimeout(() => {
            if (done) return;
            done = true;
            // sshd refuses signal requests on root logins (no privilege separation after
            // login) and Dropbear has none: kill the command's process group over a new channel.
            channel.signal?.('KILL');
            void killGroup(client, errOut.pid()).then(() => {
              channel.close();
              reject(
                new RiggerError(
                  'COMMAND_TIMEOUT',
                  `A command on ${where} did not finish within ${Math.round(timeoutMs / 1000)} s`,
                  {
                    command,
                    timeout_ms: timeoutMs,
                  },
                  ['Check that the gateway is not overloaded', 'Retry'],
                ),
              );
            });
          }, timeoutMs);
          channel.on('data', (d: Buffer) => out.push(d));
          channel.stderr.on('data', (d: Buffer) => errOut.push(d));
          channel.on('exit', (c: number | null, s?: string) => {
            code = c;
            signal = s ?? null;
          });
          channel.on('close', () => {
            if (done) return;
            done = true;
            clearTimeout(timer);
            if (code === null && signal === null && closed) {
              reject(lost(where, lostReason));
              return;
            }
            resolve({ code, signal, stdout: Buffer.concat(out), stderr: errOut.text() });
          });
          if (opts.stdin !== undefined) channel.end(opts.stdin);
          else channel.end();
        });
      });
    },
    execStream(command: string) {
      return new Promise<{ stdin: Writable; done: Promise<ExecResult> }>((resolve, reject) => {
        if (closed) {
          reject(lost(where, lostReason));
          return;
        }
        client.exec(command, (err, channel: ClientChannel) => {
          if (err) {
            reject(lost(where, err.message));
            return;
          }
          const out: Buffer[] = [];
          const errOut: Buffer[] = [];
          let code: number | null = null;
          let signal: string | null = null;
          channel.on('data', (d: Buffer) => out.push(d));
          channel.stderr.on('data', (d: Buffer) => errOut.push(d));
          channel.on('exit', (c: number | null, s?: string) => {
            code = c;
            signal = s ?? null;
          });
          const done = new Promise<ExecResult>((res, rej) => {
            channel.on('close', () => {
              // No exit status and a dead connection: the link dropped mid-command.
              if (code === null && signal === null && closed) rej(lost(where, lostReason));
              else res({ code, signal, stdout: Buffer.concat(out), stderr: Buffer.concat(errOut) });
            });
          });
          resolve({ stdin: channel, done });
        });
      });
    },
    execRead(command: string) {
      return new Promise<{ stdout: Readable; done: Promise<ExecResult> }>((resolve, reject) => {
        if (closed) {
          reject(lost(where, lostReason));
          return;
        }
        client.exec(command, (err, channel: ClientChannel) => {
          if (err) {
            reject(lost(where, err.message));
            return;
          }
          const errOut: Buffer[] = [];
          let code: number | null = null;
          let signal: string | null = null;
          channel.stderr.on('data', (d: Buffer) => errOut.push(d));
          channel.on('exit', (c: number | null, s?: string) => {
            code = c;
            signal = s ?? null;
          });
          const done = new Promise<ExecResult>((res, rej) => {
            channel.on('close', () => {
              if (code === null && signal === null && closed) rej(lost(where, lostReason));
              else res({ code, signal, stdout: Buffer.alloc(0), stderr: Buffer.concat(errOut) });
            });
          });
          channel.end(); // nothing to send
          resolve({ stdout: channel, done });
        });
      });
    },
    async close() {
      if (closed) return;
      await new Promise<void>((resolve) => {
        client.once('close', () => resolve());
        client.end();
        setTimeout(resolve, 2000).unref();
      });
      closed = true;
    },
  };
}

const PID_MARK = '@@RIGGER-PID ';

/**
 * The command behind a first stderr line naming its shell's pid. sshd starts every command in
 * a new session, so that pid is also its process group, which a timeout kills whole.
 */
const withPid = (command: string) => `echo "${PID_MARK}$$" >&2; ${command}`;

/** Collects stderr, taking the pid line off its front so callers see the command's own. */
function pidReader() {
  let head: Buffer | null = Buffer.alloc(0);
  let pid: number | null = null;
  const rest: Buffer[] = [];
  return {
    push(d: Buffer) {
      if (head === null) return void rest.push(d);
      head = Buffer.concat([head, d]);
      const nl = head.indexOf(10);
      if (nl < 0 && head.length < 64) return;
      const line = head.subarray(0, nl < 0 ? head.length : nl).toString('latin1');
      if (nl >= 0 && line.startsWith(PID_MARK)) {
        pid = Number.parseInt(line.slice(PID_MARK.length), 10) || null;
        rest.push(head.subarray(nl + 1));
      } else rest.push(head);
      head = null;
    },
    pid: () => pid,
    text: () => Buffer.concat(head ? [...rest, head] : rest),
  };
}

/** Kill a timed-out command's process group over a fresh channel; settles within 3 s. */
function killGroup(client: Client, pid: number | null): Promise<void> {
  if (!pid || pid <= 1) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(resolve, 3000);
    const finish = () => (clearTimeout(t), resolve());
    try {
      client.exec(`kill -9 -${pid} 2>/dev/null || kill -9 ${pid} 2>/dev/null`, (err, ch) => {
        if (err) return finish();
        ch.on('close', finish);
        ch.resume();
        ch.stderr.resume();
        ch.end();
      });
    } catch {
      finish();
    }
  });
}

function lost(where: string, reason: string | null): RiggerError {
  return new RiggerError(
    'HOST_UNREACHABLE',
    `The connection to ${where} was lost${reason ? `: ${reason}` : ''}`,
    {
      target: where,
    },
    ['Check the network cable', 'Retry: Rigger reconnects'],
  );
}
