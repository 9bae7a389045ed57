import { Client, type ConnectConfig } from 'ssh2';
import { RiggerError } from '../../../shared/errors';
import { readPrivateKey } from './key-check';
import { algorithmOf, fingerprintOf, judgeHostKey, type HostKeyCheck } from './host-key';
import {
  SSH_CAPABILITIES,
  type ExecOptions,
  type ExecResult,
  type StreamingSession,
} from './session';
import { connectError, keyFormatError } from './ssh-connect-error';
import { killGroup, openCommand, type ChannelHost } from './ssh-exec';

export type { HostKeyCheck } from './host-key';

export interface SshTarget {
  host: string;
  port: number;
  user: string;
  /** Exactly one of these. */
  privateKeyFile?: string;
  /** The private key's passphrase, when it has one. */
  passphrase?: string;
  password?: string;
}

export interface SshOptions {
  connectTimeoutMs: number;
  commandTimeoutMs: number;
}

/** A session over SSH: streams both ways, and knows the host key it was verified with. */
export interface SshSession extends StreamingSession {
  readonly kind: 'ssh';
  readonly hostKey: { algorithm: string; fingerprint: string };
}

const describe = (t: SshTarget) => `${t.user}@${t.host}:${t.port}`;

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
      if (target.privateKeyFile) {
        config.privateKey = readPrivateKey(target.privateKeyFile, target.passphrase);
        config.passphrase = target.passphrase;
      } else if (target.password !== undefined) config.password = target.password;
    } catch (err) {
      reject(err);
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
        fail(keyFormatError(target.privateKeyFile, err.message));
      } else fail(connectError(err, target, options.connectTimeoutMs));
    });
    try {
      client.connect(config);
    } catch (err) {
      const message = (err as Error).message;
      // ssh2 parses the key as it starts: a key it cannot read is the file's fault.
      if (/privateKey/i.test(message)) fail(keyFormatError(target.privateKeyFile, message));
      else
        fail(
          new RiggerError('AUTH_FAILED', `Cannot start the SSH login: ${message}`, {
            target: describe(target),
          }),
        );
    }
  });
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
  const host: ChannelHost = {
    client,
    where,
    closed: () => closed,
    lostReason: () => lostReason,
  };

  return {
    kind: 'ssh',
    target: where,
    hostKey,
    capabilities: SSH_CAPABILITIES,
    get closed() {
      return closed;
    },
    async exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
      const timeoutMs = opts.timeoutMs ?? options.commandTimeoutMs;
      const c = await openCommand(host, command, { collectStdout: true, tagPid: true });
      return new Promise((resolve, reject) => {
        let settled = false;
        const timer = setTimeout(() => {
          if (settled) return;
          settled = true;
          // sshd refuses signal requests on root logins (no privilege separation after
          // login) and Dropbear has none: kill the command's process group over a new channel.
          c.channel.signal?.('KILL');
          void killGroup(client, c.pid()).then(() => {
            c.channel.close();
            reject(
              new RiggerError(
                'COMMAND_TIMEOUT',
                `A command on ${where} did not finish within ${Math.round(timeoutMs / 1000)} s`,
                { command, timeout_ms: timeoutMs },
                ['Check that the gateway is not overloaded', 'Retry'],
              ),
            );
          });
        }, timeoutMs);
        const settle = (fn: () => void) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          fn();
        };
        c.done.then(
          (r) => settle(() => resolve(r)),
          (e: unknown) => settle(() => reject(e)),
        );
        if (opts.stdin !== undefined) c.channel.end(opts.stdin);
        else c.channel.end();
      });
    },
    async execStream(command: string) {
      const c = await openCommand(host, command, { collectStdout: true, tagPid: false });
      return { stdin: c.channel, done: c.done };
    },
    async execRead(command: string) {
      const c = await openCommand(host, command, { collectStdout: false, tagPid: false });
      c.channel.end(); // nothing to send
      const done = c.done.then((r) => ({ ...r, stdout: Buffer.alloc(0) }));
      return { stdout: c.channel, done };
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
