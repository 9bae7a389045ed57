import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { open } from 'node:fs/promises';
import { RiggerError } from '../../../shared/errors';
import { errorPacket, negotiate, OP, parsePacket, TFTP_ERROR } from './tftp-packets';
import { TftpSession, type TftpSource } from './tftp-session';

/** A file the job registered: a path read on demand, or bytes already in memory. */
export type TftpFile = { path: string } | { data: Buffer };

export interface TftpTransferEvent {
  name: string;
  client: string;
  status: 'started' | 'done' | 'failed' | 'refused';
  bytes: number;
  retransmits: number;
  /** On `started`: the options granted in the OACK (blksize, tsize, timeout, windowsize). */
  options?: Record<string, string>;
  error?: string;
}

export interface TftpServerOptions {
  /** The laptop address the board reaches (never all interfaces by default). */
  address: string;
  /** UDP port; 69 is what U-Boot asks, 0 picks a free one (tests). */
  port?: number;
  /** Largest blksize granted (RFC 2348). Default 65464. */
  maxBlksize?: number;
  /** Largest windowsize granted (RFC 7440). Default 64. */
  maxWindowsize?: number;
  /** Wait for an ACK before resending, unless the client asked its own `timeout`. Default 1 s. */
  timeoutMs?: number;
  /** Resends in a row without progress before the transfer is given up. Default 5. */
  retries?: number;
  /** Transfers at once; more are refused. Default 8. */
  maxSessions?: number;
  onTransfer?: (e: TftpTransferEvent) => void;
}

/** Names Rigger makes up for a job's files: plain, short, no path. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * A read-only TFTP server (RFC 1350 with RFC 2347-2349 options and RFC 7440 windows) that
 * serves only the files registered with it, by name: unknown names are "File not found",
 * paths (absolute, `..`, directories) and write requests "Access violation".
 */
export class TftpServer {
  private readonly files = new Map<string, TftpFile>();
  private readonly sessions = new Set<{ session: TftpSession; socket: Socket }>();
  private stopped = false;
  /** The bound UDP port (kept: the socket forgets it once closed). */
  readonly port: number;

  private constructor(
    private readonly socket: Socket,
    private readonly opts: TftpServerOptions,
  ) {
    this.port = socket.address().port;
    socket.on('message', (msg, rinfo) => void this.request(msg, rinfo));
  }

  /** Bind to `address:port` and start answering requests. */
  static async start(opts: TftpServerOptions): Promise<TftpServer> {
    const socket = createSocket(opts.address.includes(':') ? 'udp6' : 'udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', (err) =>
        reject(
          new RiggerError(
            'VALIDATION_ERROR',
            `Cannot serve TFTP on ${opts.address}:${opts.port ?? 69}: ${err.message}`,
            {
              address: opts.address,
              port: opts.port ?? 69,
            },
            [
              'Check that the address belongs to this computer and that no other TFTP server uses the port',
            ],
          ),
        ),
      );
      socket.bind(opts.port ?? 69, opts.address, () => resolve());
    });
    socket.on('error', () => undefined);
    return new TftpServer(socket, opts);
  }

  /** Serve `file` under `name` (a name Rigger made up). */
  register(name: string, file: TftpFile): void {
    if (!NAME.test(name) || name.includes('..')) {
      throw new RiggerError('VALIDATION_ERROR', `Not a name the TFTP server serves: ${name}`, {
        name,
      });
    }
    this.files.set(name, file);
  }

  /** Stop serving `name`; a transfer under way finishes. */
  unregister(name: string): void {
    this.files.delete(name);
  }

  /** Close the port and end every transfer under way. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const s of this.sessions) s.session.abort('server stopped');
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }

  private emit(e: TftpTransferEvent): void {
    this.opts.onTransfer?.(e);
  }

  private refuse(rinfo: RemoteInfo, code: number, message: string, name: string): void {
    this.socket.send(errorPacket(code, message), rinfo.port, rinfo.address);
    const client = `${rinfo.address}:${rinfo.port}`;
    this.emit({ name, client, status: 'refused', bytes: 0, retransmits: 0, error: message });
  }

  private async request(msg: Buffer, rinfo: RemoteInfo): Promise<void> {
    if (this.stopped) return;
    const p = parsePacket(msg);
    if (!p || (p.op !== OP.RRQ && p.op !== OP.WRQ)) {
      // A stray DATA/ACK on port 69 belongs to no transfer; a malformed request gets told.
      if (!p) this.refuse(rinfo, TFTP_ERROR.ILLEGAL_OPERATION, 'Illegal TFTP operation', '');
      return;
    }
    const name = p.filename;
    if (p.op === OP.WRQ)
      return this.refuse(rinfo, TFTP_ERROR.ACCESS_VIOLATION, 'Read-only server', name);
    if (name.startsWith('/') || name.includes('..') || name.includes('\\') || !NAME.test(name)) {
      return this.refuse(rinfo, TFTP_ERROR.ACCESS_VIOLATION, 'Access violation', name);
    }
    if (p.mode !== 'octet') {
      return this.refuse(rinfo, TFTP_ERROR.ILLEGAL_OPERATION, 'Only octet mode is served', name);
    }
    const file = this.files.get(name);
    if (!file) return this.refuse(rinfo, TFTP_ERROR.FILE_NOT_FOUND, 'File not found', name);
    if (this.sessions.size >= (this.opts.maxSessions ?? 8)) {
      return this.refuse(rinfo, TFTP_ERROR.NOT_DEFINED, 'Too many transfers', name);
    }
    let source: TftpSource;
    try {
      source = await openSource(file);
    } catch {
      return this.refuse(rinfo, TFTP_ERROR.FILE_NOT_FOUND, 'File not found', name);
    }
    await this.serve(name, p.options, source, rinfo);
  }

  private async serve(
    name: string,
    options: Record<string, string>,
    source: TftpSource,
    rinfo: RemoteInfo,
  ): Promise<void> {
    const client = `${rinfo.address}:${rinfo.port}`;
    const socket = createSocket(this.socket.address().family === 'IPv6' ? 'udp6' : 'udp4');
    socket.on('error', () => undefined);
    const neg = negotiate(options, source.size, {
      maxBlksize: this.opts.maxBlksize ?? 65464,
      maxWindowsize: this.opts.maxWindowsize ?? 64,
      defaultTimeoutMs: this.opts.timeoutMs ?? 1000,
    });
    const session = new TftpSession(socket, rinfo, source, neg, this.opts.retries ?? 5);
    const entry = { session, socket };
    this.sessions.add(entry);
    try {
      // A fresh port on the same address is this transfer's TID.
      await new Promise<void>((resolve) => socket.bind(0, this.opts.address, () => resolve()));
      this.emit({
        name,
        client,
        status: 'started',
        bytes: 0,
        retransmits: 0,
        options: neg.accepted,
      });
      const r = await session.run();
      this.emit({ name, client, status: 'done', bytes: r.bytes, retransmits: r.retransmits });
    } catch (err) {
      const error = (err as Error).message;
      this.emit({
        name,
        client,
        status: 'failed',
        bytes: 0,
        retransmits: session.retransmits,
        error,
      });
    } finally {
      this.sessions.delete(entry);
      await source.close().catch(() => undefined);
      await session.flushed();
      socket.close();
    }
  }
}

/** Open a registered file for reading at offsets. */
async function openSource(file: TftpFile): Promise<TftpSource> {
  if ('data' in file) {
    const data = file.data;
    return {
      size: data.length,
      read: (offset, length) => Promise.resolve(data.subarray(offset, offset + length)),
      close: () => Promise.resolve(),
    };
  }
  const fh = await open(file.path, 'r');
  const st = await fh.stat();
  if (!st.isFile()) {
    await fh.close();
    throw new Error('not a file');
  }
  return {
    size: st.size,
    read: async (offset, length) => {
      const buf = Buffer.alloc(Math.max(0, Math.min(length, st.size - offset)));
      let got = 0;
      while (got < buf.length) {
        const { bytesRead } = await fh.read(buf, got, buf.length - got, offset + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      return buf.subarray(0, got);
    },
    close: () => fh.close(),
  };
}
