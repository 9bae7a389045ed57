import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { stat as localStat } from 'node:fs/promises';
import { posix } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { SFTPWrapper } from 'ssh2';
import { RiggerError } from '../../../../shared/errors';
import {
  checkObjectPath,
  type HealthReport,
  type PutOptions,
  type PutResult,
  type StorageLocation,
  type StoredObject,
  progressCounter,
} from './location';
import type { SecretProvider } from './secrets';
import { call, connectSftp, type SftpConnection, type SftpTarget } from './sftp-connect';

export interface SftpOptions extends SftpTarget {
  id: string;
  /** Absolute folder on the server. */
  root: string;
  credentialsRef: string;
  secrets: SecretProvider;
  connectTimeoutMs?: number;
}

const NO_SUCH_FILE = 2;

/** Backups on a file server over SFTP, the server's host key pinned as a gateway's is. */
export class SftpLocation implements StorageLocation {
  readonly type = 'remote' as const;
  readonly id: string;
  private conn: SftpConnection | null = null;

  constructor(private readonly opts: SftpOptions) {
    this.id = opts.id;
  }

  private async sftp(): Promise<SFTPWrapper> {
    if (this.conn) return this.conn.sftp;
    const creds = await this.opts.secrets.sftpCredentials(this.opts.credentialsRef);
    const conn = await connectSftp(this.opts, creds, this.opts.connectTimeoutMs ?? 10_000);
    // A dropped connection is forgotten, so the next call logs in again.
    const forget = () => {
      if (this.conn === conn) this.conn = null;
    };
    conn.client.on('close', forget);
    conn.client.on('error', forget);
    this.conn = conn;
    return conn.sftp;
  }

  /** A stream on this connection fails, instead of hanging, when the connection is lost. */
  private guard<T extends NodeJS.ReadableStream | NodeJS.WritableStream>(stream: T): T {
    const client = this.conn?.client;
    const onLost = () =>
      (stream as unknown as { destroy(e: Error): void }).destroy(
        new RiggerError('HOST_UNREACHABLE', `The connection to ${this.opts.host} was lost`, {
          storage: this.id,
          host: this.opts.host,
        }),
      );
    client?.once('close', onLost);
    stream.once('close', () => client?.off('close', onLost));
    return stream;
  }

  private remote(path: string): string {
    return posix.join(this.opts.root, checkObjectPath(path));
  }

  private async mkdirs(sftp: SFTPWrapper, dir: string): Promise<void> {
    let at = '/';
    for (const seg of dir.split('/').filter(Boolean)) {
      at = posix.join(at, seg);
      await call<void>((cb) => sftp.mkdir(at, (e) => cb(e, undefined))).catch(() => undefined);
    }
  }

  async put(localFile: string, path: string, opts: PutOptions = {}): Promise<PutResult> {
    const sftp = await this.sftp();
    const dest = this.remote(path);
    const partial = `${dest}.partial`;
    const total = (await localStat(localFile)).size;
    const remoteSize = await call<{ size: number }>((cb) => sftp.stat(partial, cb)).then(
      (s) => s.size,
      () => 0,
    );
    const have = remoteSize <= total ? remoteSize : 0;
    await this.mkdirs(sftp, posix.dirname(dest));
    await pipeline(
      createReadStream(localFile, { start: have }),
      progressCounter(have, total, opts.onProgress),
      // Resumed: write on from what the server already holds, never from the start.
      this.guard(sftp.createWriteStream(partial, { flags: have ? 'r+' : 'w', start: have })),
      { signal: opts.signal },
    );
    const written = await call<{ size: number }>((cb) => sftp.stat(partial, cb));
    if (written.size !== total) {
      throw new RiggerError(
        'COMMAND_FAILED',
        `${this.id}: ${path} holds ${written.size} of ${total} bytes`,
        {
          storage: this.id,
          path,
        },
      );
    }
    await call<void>((cb) => sftp.ext_openssh_rename(partial, dest, (e) => cb(e, undefined)));
    return { size: total, resumed_from: have };
  }

  async get(path: string, localFile: string): Promise<void> {
    const sftp = await this.sftp();
    await pipeline(
      this.guard(sftp.createReadStream(this.remote(path))),
      createWriteStream(localFile),
    );
  }

  async hash(path: string): Promise<string> {
    const sftp = await this.sftp();
    const h = createHash('sha256');
    await pipeline(this.guard(sftp.createReadStream(this.remote(path))), h);
    return h.digest('hex');
  }

  async list(prefix = ''): Promise<StoredObject[]> {
    const sftp = await this.sftp();
    const out: StoredObject[] = [];
    const walk = async (dir: string, rel: string, depth: number): Promise<void> => {
      if (depth > 16) return;
      const entries = await call<
        { filename: string; attrs: { size: number; isDirectory(): boolean } }[]
      >((cb) => sftp.readdir(dir, cb)).catch((e: { code?: number }) => {
        if (e.code === NO_SUCH_FILE) return [];
        throw e;
      });
      for (const e of entries) {
        const r = rel ? `${rel}/${e.filename}` : e.filename;
        if (e.attrs.isDirectory()) await walk(posix.join(dir, e.filename), r, depth + 1);
        else if (!e.filename.endsWith('.partial') && r.startsWith(prefix))
          out.push({ path: r, size: e.attrs.size });
      }
    };
    await walk(this.opts.root, '', 0);
    return out.sort((a, b) => a.path.localeCompare(b.path));
  }

  async delete(path: string): Promise<void> {
    const sftp = await this.sftp();
    await call<void>((cb) => sftp.unlink(this.remote(path), (e) => cb(e, undefined))).catch(
      (e: { code?: number }) => {
        if (e.code !== NO_SUCH_FILE) throw e;
      },
    );
  }

  async stat(path: string): Promise<StoredObject | null> {
    const sftp = await this.sftp();
    return call<{ size: number; isFile(): boolean }>((cb) => sftp.stat(this.remote(path), cb)).then(
      (s) => (s.isFile() ? { path, size: s.size } : null),
      (e: { code?: number }) => {
        if (e.code === NO_SUCH_FILE) return null;
        throw e;
      },
    );
  }

  async health(): Promise<HealthReport> {
    try {
      const sftp = await this.sftp();
      await this.mkdirs(sftp, this.opts.root);
      const vfs = await call<Record<string, number | bigint>>((cb) =>
        sftp.ext_openssh_statvfs(this.opts.root, cb),
      );
      const n = (k: string) => Number(vfs[k] ?? 0);
      const unit = n('f_frsize') || n('f_bsize');
      const total = n('f_blocks') * unit;
      const available = n('f_bavail') * unit;
      return {
        health: 'connected',
        total,
        available,
        utilization: total ? Math.round(((total - available) / total) * 100) : undefined,
      };
    } catch (err) {
      const e = err as RiggerError;
      return {
        health: e.code === 'HOST_UNREACHABLE' ? 'offline' : 'error',
        detail: e.message,
      };
    }
  }

  async close(): Promise<void> {
    this.conn?.client.end();
    this.conn = null;
  }
}
