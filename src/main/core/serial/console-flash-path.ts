import type { Readable } from 'node:stream';
import { RiggerError } from '../../../shared/errors';
import { TftpServer } from '../transfer/tftp-server';
import type { UBootNetAddresses } from '../transfer/uboot-net';
import { probeRecoveryPath, type ChunkServer, type RecoveryPath } from '../transfer/uboot-recovery';
import type { UBootDriver } from './uboot-driver';

/** The job's TFTP server (or one that registers alike): serves the chunks, stopped with the job. */
export interface JobChunkServer extends ChunkServer {
  stop(): Promise<void>;
}

/** Starts the job's chunk server on console.net's laptop address. */
export type ChunkServerFactory = (net: UBootNetAddresses) => Promise<JobChunkServer>;

/** Rigger's own TFTP server on the laptop's address in `console.net`, UDP port 69. */
export const laptopTftp: ChunkServerFactory = async (net) => {
  const server = await TftpServer.start({ address: net.laptop_ip, port: 69 });
  return {
    register: (name, file) => server.register(name, file),
    unregister: (name) => server.unregister(name),
    stop: () => server.stop(),
  };
};

/**
 * TFTP or YMODEM for this flash: what the board offers (`probeRecoveryPath`), or what the user
 * asked for. Asking for TFTP where the board cannot do it is refused with the reason.
 */
export async function choosePath(
  uboot: UBootDriver,
  net: UBootNetAddresses | undefined,
  via: 'tftp' | 'ymodem' | undefined,
): Promise<RecoveryPath> {
  if (via === 'ymodem') {
    const found = await probeRecoveryPath(uboot, undefined);
    return { ...found, reason: 'YMODEM over the console: asked for' };
  }
  const found = await probeRecoveryPath(uboot, net);
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
