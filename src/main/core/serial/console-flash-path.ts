import type { Readable } from 'node:stream';
import { RiggerError } from '../../../shared/errors';
import { TftpServer } from '../transfer/tftp-server';
import { setTftpPort, type UBootNetAddresses } from '../transfer/uboot-net';
import {
  probeRecoveryPath,
  probeTftp,
  type ChunkServer,
  type RecoveryPath,
} from '../transfer/uboot-recovery';
import type { UBootDriver } from './uboot-driver';

/**
 * The laptop's unprivileged TFTP port, told to U-Boot with `tftpdstp` (in RAM): used when
 * Rigger may not serve on 69 (neither root nor CAP_NET_BIND_SERVICE). Many U-Boot builds
 * ignore `tftpdstp` and ask port 69 only, so 69 comes first wherever Rigger may bind it.
 */
export const DEFAULT_TFTP_PORT = 6969;

/** The ports tried in turn when none was asked for: the standard one, then the unprivileged one. */
const TFTP_PORTS = [69, DEFAULT_TFTP_PORT] as const;

/** The job's TFTP server (or one that registers alike): serves the chunks, stopped with the job. */
export interface JobChunkServer extends ChunkServer {
  /** The UDP port it answers on. */
  port: number;
  stop(): Promise<void>;
}

/** Starts the job's chunk server on console.net's laptop address and `port`. */
export type ChunkServerFactory = (net: UBootNetAddresses, port: number) => Promise<JobChunkServer>;

/** Rigger's own TFTP server on the laptop's address in `console.net`. */
export const laptopTftp: ChunkServerFactory = async (net, port) => {
  const server = await TftpServer.start({ address: net.laptop_ip, port }).catch((err: unknown) => {
    const denied = /EACCES|permission/i.test((err as Error).message);
    if (!denied || port >= 1024) throw err;
    throw new RiggerError(
      'VALIDATION_ERROR',
      `Rigger may not serve TFTP on port ${port} of ${net.laptop_ip}: ports below 1024 need root or CAP_NET_BIND_SERVICE`,
      { port, address: net.laptop_ip },
      [
        `Serve on port ${DEFAULT_TFTP_PORT}, told to U-Boot with tftpdstp: rigger console flash PORT … --tftp-port ${DEFAULT_TFTP_PORT}`,
        'Or grant the capability: sudo setcap cap_net_bind_service=+ep "$(command -v node)"',
      ],
    );
  });
  return {
    port: server.port,
    register: (name, file) => server.register(name, file),
    unregister: (name) => server.unregister(name),
    stop: () => server.stop(),
  };
};

/**
 * Start the job's TFTP server and prove U-Boot reaches it: `tftpdstp` set in RAM, then a probe
 * fetch. When it cannot (the port refused, or a U-Boot that asks port 69 only), the server is
 * stopped and the answer says why.
 */
async function openTftp(
  uboot: UBootDriver,
  net: UBootNetAddresses,
  port: number,
  factory: ChunkServerFactory,
  address: string,
): Promise<{ server: JobChunkServer } | { why: string; bound: boolean }> {
  let server: JobChunkServer;
  try {
    server = await factory(net, port);
  } catch (err) {
    return { why: (err as Error).message, bound: false };
  }
  try {
    await setTftpPort(uboot, server.port);
    const probe = await probeTftp(uboot, server, server.port, address);
    if (probe.ok) return { server };
    await server.stop();
    return { why: probe.why, bound: true };
  } catch (err) {
    await server.stop();
    throw err;
  }
}

/**
 * TFTP or YMODEM for this flash: what the board offers (`probeRecoveryPath`), or what the user
 * asked for. Asking for TFTP where the board cannot do it is refused with the reason.
 */
async function choosePath(
  uboot: UBootDriver,
  net: UBootNetAddresses | undefined,
  via: 'tftp' | 'ymodem' | undefined,
  compress = true,
): Promise<RecoveryPath> {
  if (via === 'ymodem') {
    const found = await probeRecoveryPath(uboot, undefined, compress);
    return {
      ...found,
      reason: `YMODEM over the console: asked for${compress ? '' : ', raw chunks as asked'}`,
    };
  }
  const found = await probeRecoveryPath(uboot, net, compress);
  if (via === 'tftp' && found.via !== 'tftp') {
    throw new RiggerError(
      'VALIDATION_ERROR',
      `The flash cannot go over TFTP: ${found.reason.replace(/^YMODEM over the console: /, '')}`,
      { via, reason: found.reason },
      [
        "Check the network cable and the profile's console.net addresses",
        'Or flash over YMODEM (rigger flash GATEWAY --via ymodem): much slower',
      ],
    );
  }
  return found;
}

/**
 * Read a stream in order, by offsets that only grow: the image is read once from the resume
 * point on, not from its start again for every chunk.
 */
export function sequentialReader(stream: Readable, startOffset: number) {
  const it = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let pos = startOffset;
  let pending = Buffer.alloc(0);
  return {
    async read(offset: number, length: number): Promise<Buffer> {
      if (offset !== pos) {
        throw new RiggerError('INTERNAL', `Chunks are read in order (asked ${offset}, at ${pos})`);
      }
      const parts: Buffer[] = [pending];
      let have = pending.length;
      while (have < length) {
        const n = await it.next();
        if (n.done) break;
        parts.push(n.value);
        have += n.value.length;
      }
      const all = Buffer.concat(parts);
      pending = all.subarray(length);
      pos += Math.min(length, all.length);
      return all.subarray(0, length);
    },
    close: () => void stream.destroy(),
  };
}

/**
 * The path of this flash and, for TFTP, its running server: TFTP where the board can (and the
 * server is reached on its port), else YMODEM saying why; asked-for TFTP that cannot be is an error.
 */
export async function pathAndServer(
  uboot: UBootDriver,
  con: { net?: UBootNetAddresses; load_address: string },
  opts: {
    via?: 'tftp' | 'ymodem';
    tftpPort?: number;
    compress?: boolean;
    chunkServer: ChunkServerFactory;
  },
): Promise<{ path: RecoveryPath; server: JobChunkServer | null }> {
  const path = await choosePath(uboot, con.net, opts.via, opts.compress !== false);
  if (path.via !== 'tftp') return { path, server: null };
  // Port 69 first where Rigger may bind it; the unprivileged port only when it may not (a
  // probe that fails on a bound port is the board's answer, not the port's).
  const ports = opts.tftpPort === undefined ? TFTP_PORTS : [opts.tftpPort];
  const whys: string[] = [];
  let opened: Awaited<ReturnType<typeof openTftp>> | null = null;
  for (const port of ports) {
    opened = await openTftp(uboot, con.net!, port, opts.chunkServer, con.load_address);
    if ('server' in opened) break;
    whys.push(opened.why);
    if (opened.bound) break;
  }
  if (opened && 'server' in opened) {
    const told = opened.server.port === 69 ? '' : ', told to U-Boot with tftpdstp';
    return {
      path: { ...path, reason: `${path.reason} (laptop port ${opened.server.port}${told})` },
      server: opened.server,
    };
  }
  if (opts.via === 'tftp') {
    throw new RiggerError(
      'VALIDATION_ERROR',
      `The flash cannot go over TFTP: ${whys.join('; then ')}`,
      { via: 'tftp', reason: whys.join('; then ') },
      [
        `Or flash over YMODEM (rigger console flash PORT --via ymodem): much slower`,
        'Or serve on port 69 for a U-Boot that ignores tftpdstp (rigger console flash PORT --tftp-port 69; needs root)',
      ],
    );
  }
  return {
    path: { ...path, via: 'ymodem', reason: `YMODEM over the console: ${whys.join('; then ')}` },
    server: null,
  };
}
