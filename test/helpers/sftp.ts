import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fingerprintOfPub, makeKey, startSshd, type Sshd } from '../gateway-sim/sshd';

export interface SftpServer {
  port: number;
  /** The folder on the server where backups go. */
  root: string;
  /** A key the server accepts for root. */
  keyFile: string;
  /** A key it does not know. */
  strangerKeyFile: string;
  fingerprint: string;
  /** A second server on another port with another host key (a replaced or impersonated host). */
  impostor(): Promise<{ port: number; stop(): Promise<void> }>;
  crash(): Promise<void>;
  /** Start again on the same port with the same key and files. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** OpenSSH's sshd with its internal SFTP server on 127.0.0.1, logins by key only. */
export async function startSftp(): Promise<SftpServer> {
  const dir = mkdtempSync(join(tmpdir(), 'rigger-sftp-'));
  makeKey(join(dir, 'host_ed25519'));
  makeKey(join(dir, 'client'));
  makeKey(join(dir, 'stranger'));
  copyFileSync(join(dir, 'client.pub'), join(dir, 'authorized_keys'));
  const root = join(dir, 'files');
  mkdirSync(root);
  let sshd: Sshd = await startSshd(dir, { sftp: true });
  const port = sshd.port;
  return {
    port,
    root,
    keyFile: join(dir, 'client'),
    strangerKeyFile: join(dir, 'stranger'),
    fingerprint: fingerprintOfPub(join(dir, 'host_ed25519.pub')),
    async impostor() {
      const other = mkdtempSync(join(tmpdir(), 'rigger-sftp-impostor-'));
      makeKey(join(other, 'host_ed25519'));
      copyFileSync(join(dir, 'client.pub'), join(other, 'authorized_keys'));
      const s = await startSshd(other, { sftp: true });
      return { port: s.port, stop: () => s.stop() };
    },
    crash: () => sshd.crash(),
    async restart() {
      sshd = await startSshd(dir, { sftp: true, port });
    },
    stop: () => sshd.stop(),
  };
}
