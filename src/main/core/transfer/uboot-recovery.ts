import { promisify } from 'node:util';
import { crc32, gzip } from 'node:zlib';
import { RiggerError } from '../../../shared/errors';
import type { UBootDriver } from '../serial/uboot-driver';
import type { TftpFile } from './tftp-server';
import {
  blockWrite,
  crc32At,
  gzwrite,
  hasCommand,
  readBackCrc,
  setNetAddresses,
  tftpboot,
  type UBootNetAddresses,
} from './uboot-net';

const gzipAsync = promisify(gzip);
const crcHex = (b: Buffer) => crc32(b).toString(16).padStart(8, '0');

export interface RecoveryPath {
  via: 'tftp' | 'ymodem';
  /** Whether U-Boot can write gzip chunks itself (then chunks travel compressed). */
  gzwrite: boolean;
  /** Why this path, in one sentence for the user. */
  reason: string;
}

/**
 * Pick the way a bricked gateway is flashed from U-Boot: TFTP when the profile says how to
 * address the board, U-Boot has `tftpboot` and the laptop answers its `ping`; else YMODEM over
 * the console, saying why. Sets the addresses in RAM only (never saveenv).
 */
export async function probeRecoveryPath(
  uboot: UBootDriver,
  net: UBootNetAddresses | undefined,
): Promise<RecoveryPath> {
  const gz = await hasCommand(uboot, 'gzwrite');
  const ymodem = (why: string): RecoveryPath => ({
    via: 'ymodem',
    gzwrite: gz,
    reason: `YMODEM over the console: ${why}`,
  });
  if (!net) return ymodem("the gateway's profile has no console.net addresses");
  if (!(await hasCommand(uboot, 'tftpboot'))) return ymodem('this U-Boot has no tftpboot');
  await setNetAddresses(uboot, net);
  const r = await uboot.run(`ping ${net.laptop_ip}`, 30_000);
  if (!/is alive/.test(r.output)) {
    return ymodem(`no answer from the laptop (${net.laptop_ip}) on the gateway's network port`);
  }
  return {
    via: 'tftp',
    gzwrite: gz,
    reason: `TFTP: the gateway reaches the laptop at ${net.laptop_ip}${gz ? '; chunks travel gzip-compressed and gzwrite writes them' : '; this U-Boot has no gzwrite, so chunks travel raw'}`,
  };
}

/** Where the job's chunks are served from: Rigger's TftpServer, or anything that registers alike. */
export interface ChunkServer {
  register(name: string, file: TftpFile): void | Promise<void>;
  unregister(name: string): void | Promise<void>;
}

export interface TftpFlashOptions {
  uboot: UBootDriver;
  server: ChunkServer;
  /** The image's bytes at an offset (a library file, read on demand). */
  read(offset: number, length: number): Promise<Buffer>;
  size: number;
  /** Bytes per chunk: a whole number of blocks that fits the board's RAM at `loadAddress`. */
  chunkBytes: number;
  blockSize?: number;
  iface: string;
  dev: number;
  /** The target slot's first block on the device. */
  slotStartBlock: number;
  loadAddress: string;
  /** Send gzip chunks and write them with gzwrite (where U-Boot has it). */
  gzip: boolean;
  /** A name Rigger made up for this job; chunks are served as PREFIX-NNNN(.gz|.bin). */
  namePrefix: string;
  /** Resume: the first chunk not yet proven (from the job's journal). Default 0. */
  startChunk?: number;
  /** After each chunk is proven by its read-back: journal it before the next one starts. */
  onProven?: (p: {
    chunk: number;
    chunks: number;
    bytesWritten: number;
    bytesOnWire: number;
  }) => void | Promise<void>;
  signal?: AbortSignal;
}

/**
 * Flash an image into a slot from U-Boot over TFTP, chunk by chunk: serve the chunk (gzip or
 * raw) under a made-up name, `tftpboot` it, check its crc32 in RAM, `gzwrite` or block-write it,
 * read it back and prove its crc32 against the image's, then report it proven. A failure leaves
 * every earlier chunk proven, so the job resumes from `startChunk`.
 */
export async function flashOverTftp(
  o: TftpFlashOptions,
): Promise<{ chunks: number; bytesOnWire: number; bytesWritten: number }> {
  const bs = o.blockSize ?? 512;
  if (o.chunkBytes < bs || o.chunkBytes % bs !== 0) {
    throw new RiggerError(
      'VALIDATION_ERROR',
      `Chunk size ${o.chunkBytes} is not a whole number of ${bs}-byte blocks`,
    );
  }
  const chunks = Math.ceil(o.size / o.chunkBytes);
  let bytesOnWire = 0;
  let bytesWritten = 0;
  for (let i = o.startChunk ?? 0; i < chunks; i++) {
    if (o.signal?.aborted)
      throw new RiggerError('OTA_013', 'The recovery flash was stopped', { chunk: i });
    const offset = i * o.chunkBytes;
    const data = await o.read(offset, Math.min(o.chunkBytes, o.size - offset));
    const startBlock = o.slotStartBlock + offset / bs;
    // A raw write is of whole blocks: the last chunk is padded (past the image nothing is read).
    const padded =
      o.gzip || data.length % bs === 0
        ? data
        : Buffer.concat([data, Buffer.alloc(bs - (data.length % bs))]);
    const payload = o.gzip ? await gzipAsync(data) : padded;
    const name = `${o.namePrefix}-${String(i).padStart(4, '0')}${o.gzip ? '.gz' : '.bin'}`;
    await o.server.register(name, { data: payload });
    try {
      const got = await tftpboot(o.uboot, o.loadAddress, name);
      const inRam = await crc32At(o.uboot, o.loadAddress, payload.length);
      if (got.bytes !== payload.length || inRam !== crcHex(payload)) {
        throw new RiggerError(
          'OTA_007',
          `Chunk ${i} arrived damaged over TFTP (crc32 ${inRam}, ${got.bytes} bytes)`,
          {
            chunk: i,
            expected: crcHex(payload),
            actual: inRam,
          },
          ['Resume the flash: proven chunks are kept'],
        );
      }
      if (o.gzip) {
        await gzwrite(o.uboot, {
          iface: o.iface,
          dev: o.dev,
          address: o.loadAddress,
          length: payload.length,
          offset: startBlock * bs,
          outputSize: data.length,
          blockSize: bs,
        });
      } else {
        await blockWrite(o.uboot, o.iface, o.loadAddress, startBlock, padded.length / bs);
      }
      const back = await readBackCrc(o.uboot, {
        iface: o.iface,
        address: o.loadAddress,
        startBlock,
        length: data.length,
        blockSize: bs,
      });
      if (back !== crcHex(data)) {
        throw new RiggerError(
          'OTA_007',
          `Chunk ${i} reads back wrong from the device (crc32 ${back}, expected ${crcHex(data)})`,
          {
            chunk: i,
          },
          [
            'Resume the flash to write the chunk again',
            'If it keeps failing, the storage may be failing',
          ],
        );
      }
    } finally {
      await o.server.unregister(name);
    }
    bytesOnWire += payload.length;
    bytesWritten += data.length;
    await o.onProven?.({ chunk: i, chunks, bytesWritten, bytesOnWire });
  }
  return { chunks, bytesOnWire, bytesWritten };
}
