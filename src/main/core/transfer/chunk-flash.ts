import { promisify } from 'node:util';
import { crc32, gzip } from 'node:zlib';
import { RiggerError } from '../../../shared/errors';
import type { UBootDriver } from '../serial/uboot-driver';
import type { ChunkLoader } from './uboot-recovery';
import { blockWrite, crc32At, gzwrite, readBackCrc } from './uboot-net';

const gzipAsync = promisify(gzip);
const crcHex = (b: Buffer) => crc32(b).toString(16).padStart(8, '0');

export interface ChunkFlashOptions {
  uboot: UBootDriver;
  /** How a chunk gets into U-Boot's RAM: TFTP or YMODEM (uboot-recovery.ts). */
  loader: ChunkLoader;
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
 * Flash an image into a slot from U-Boot, chunk by chunk: load the chunk (gzip or raw) into RAM
 * (TFTP or YMODEM), check its crc32 there, `gzwrite` or block-write it, read it back and prove
 * its crc32 against the image's, then report it proven. A failure leaves every earlier chunk
 * proven, so the job resumes from `startChunk`.
 */
export async function flashChunks(
  o: ChunkFlashOptions,
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
    const got = await o.loader.load(name, payload, o.loadAddress);
    {
      const inRam = await crc32At(o.uboot, o.loadAddress, payload.length);
      if (got !== payload.length || inRam !== crcHex(payload)) {
        throw new RiggerError(
          'OTA_007',
          `Chunk ${i} arrived damaged over ${o.loader.via === 'tftp' ? 'TFTP' : 'YMODEM'} (crc32 ${inRam}, ${got} bytes)`,
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
    }
    bytesOnWire += payload.length;
    bytesWritten += data.length;
    await o.onProven?.({ chunk: i, chunks, bytesWritten, bytesOnWire });
  }
  return { chunks, bytesOnWire, bytesWritten };
}
