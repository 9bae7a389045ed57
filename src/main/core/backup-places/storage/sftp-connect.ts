import { readFile } from 'node:fs/promises';
import { Client, type ConnectConfig, type SFTPWrapper } from 'ssh2';
import { RiggerError } from '../../../../shared/errors';
import { algorithmOf, fingerprintOf, judgeHostKey } from '../../gateways/host-key';
import { connectError } from '../../gateways/ssh-connect-error';
import type { SftpCredentials } from './secrets';

export interface SftpTarget {
  host: string;
  port: number;
  user: string;
  /** The server's pinned host key fingerprint (SHA256:…): any other key is refused. */
  hostKeyFingerprint: string;
}

export interface SftpConnection {
  client: Client;
  sftp: SFTPWrapper;
}

/** Log in over SSH with the host key checked before any credential is sent, and open SFTP. */
export async function connectSftp(
  t: SftpTarget,
  creds: SftpCredentials,
  timeoutMs: number,
): Promise<SftpConnection> {
  const config: ConnectConfig = {
    host: t.host,
    port: t.port,
    username: t.user,
    readyTimeout: timeoutMs,
    keepaliveInterval: 5000,
    keepaliveCountMax: 3,
  };
  if (creds.privateKeyFile) {
    try {
      config.privateKey = await readFile(creds.privateKeyFile);
    } catch (err) {
      throw new RiggerError('AUTH_FAILED', `The key file ${creds.privateKeyFile} cannot be read`, {
        key_file: creds.privateKeyFile,
        cause: (err as Error).message,
      });
    }
  } else config.password = creds.password;
  return new Promise((resolve, reject) => {
    const client = new Client();
    let keyError: RiggerError | null = null;
    let settled = false;
    const fail = (err: RiggerError) => {
      if (settled) return;
      settled = true;
      client.end();
      reject(err);
    };
    config.hostVerifier = (key: Buffer) => {
      const offered = { algorithm: algorithmOf(key), fingerprint: fingerprintOf(key) };
      keyError = judgeHostKey(
        offered,
        { pinned: { fingerprint: t.hostKeyFingerprint }, acceptNew: false },
        t,
      );
      return keyError === null;
    };
    client.on('ready', () => {
      client.sftp((err, sftp) => {
        if (err) {
          fail(
            new RiggerError(
              'COMMAND_FAILED',
              `${t.host} does not offer SFTP: ${err.message}`,
              {
                host: t.host,
                port: t.port,
              },
              ['Enable the sftp subsystem on the file server'],
            ),
          );
          return;
        }
        settled = true;
        resolve({ client, sftp });
      });
    });
    client.on('error', (err: Error & { level?: string; code?: string }) =>
      fail(keyError ?? connectError(err, t, timeoutMs)),
    );
    client.connect(config);
  });
}

/** ssh2's callback style as a promise, for one SFTP call. */
export function call<T>(
  fn: (cb: (err: Error | null | undefined, v: T) => void) => void,
): Promise<T> {
  return new Promise((resolve, reject) => fn((err, v) => (err ? reject(err) : resolve(v))));
}
