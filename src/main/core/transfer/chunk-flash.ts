import { promisify } from 'node:util';
import { crc32, gzip } from 'node:zlib';
import { RiggerError } from '../../../shared/errors';
import type { UBootDriver } from '../serial/uboot-driver';
import type { ChunkLoader } from './uboot-recovery';
import { blockWrite, crc32At, gzwrite, readBackCrc } from './uboot-net';

const gzipAsync = promisify(gzip);
const crcHex = (b: Buffer) => crc32(b).toString(16).padStart(8, '0');

/** Where a chunk goes: the board, how bytes reach its RAM, and the slot's place on its device. */
export interface ChunkTarget {
  uboot: UBootDriver;
  /** How a chunk gets into U-Boot's RAM: TFTP or YMODEM (uboot-recovery.ts). */
  loader: ChunkLoader;
  blockSize?: number;
  iface: string;
  dev: number;
  /** The target slot's first block on the device. */
  slotStartBlock: number;
  loadAddress: string;
}

/** One chunk of the image and the form it travels in (compressed once, by `chunkPayload`). */
export interface ChunkPayload {
  /** The image's bytes. */
  data: Buffer;
  /** What is loaded into U-Boot's RAM: the gzip of `data`, or `data` padded to whole blocks. */
  payload: Buffer;
  gzip: boolean;
}

/**
 * A chunk's travelling form, compressed once: gzip when asked and the gzip fits `maxBytes`
 * (random data grows a little), else raw; a raw write is of whole blocks, so a short last chunk
 * is padded (past the image nothing is read).
 */
export async function chunkPayload(
  data: Buffer,
  o: { gzip: boolean; blockSize?: number; maxBytes?: number; level?: number },
): Promise<ChunkPayload> {
  if (o.gzip) {
    const gz = await gzipAsync(data, { level: o.level ?? 6 });
    if (o.maxBytes === undefined || gz.length <= o.maxBytes) {
      return { data, payload: gz, gzip: true };
    }
  }
  const bs = o.blockSize ?? 512;
  const padded =
    data.length % bs === 0 ? data : Buffer.concat([data, Buffer.alloc(bs - (data.length % bs))]);
  return { data, payload: padded, gzip: false };
}

/** Seconds a chunk spent in each phase on the board's side: where a flash's time goes. */
export interface ChunkPhases {
  /** Into U-Boot's RAM (TFTP or YMODEM, U-Boot's own pauses included). */
  load: number;
  /** crc32 of what arrived. */
  check: number;
  /** gzwrite (inflate included) or the block write. */
  write: number;
  /** Read back from the storage and its crc32. */
  read_back: number;
}

/** Seconds since the last call (or since it was made). */
function phaseClock(): () => number {
  let last = performance.now();
  return () => {
    const now = performance.now();
    const secs = (now - last) / 1000;
    last = now;
    return secs;
  };
}

/** The made-up name a chunk is served or sent under. */
export const chunkName = (prefix: string, i: number, gzip: boolean) =>
  `${prefix}-${String(i).padStart(4, '0')}${gzip ? '.gz' : '.bin'}`;

/**
 * Write one chunk at byte `offset` of the slot: load it into RAM, `gzwrite` or block-write it,
 * read it back and prove its crc32 against the image's. What arrived is checked by crc32 in RAM
 * before anything is written: a damaged gzip stream could write past its chunk.
 */
export async function flashChunk(
  t: ChunkTarget,
  c: ChunkPayload & { index: number; offset: number; name: string },
): Promise<ChunkPhases> {
  const bs = t.blockSize ?? 512;
  const startBlock = t.slotStartBlock + c.offset / bs;
  const clock = phaseClock();
  const got = await t.loader.load(c.name, c.payload, t.loadAddress);
  const load = clock();
  const inRam = await crc32At(t.uboot, t.loadAddress, c.payload.length);
  const check = clock();
  if (got !== c.payload.length || inRam !== crcHex(c.payload)) {
    throw new RiggerError(
      'OTA_007',
      `Chunk ${c.index} arrived damaged over ${t.loader.via === 'tftp' ? 'TFTP' : 'YMODEM'} (crc32 ${inRam}, ${got} bytes)`,
      { chunk: c.index, expected: crcHex(c.payload), actual: inRam },
      ['Resume the flash: proven chunks are kept'],
    );
  }
  if (c.gzip) {
    await gzwrite(t.uboot, {
      iface: t.iface,
      dev: t.dev,
      address: t.loadAddress,
      length: c.payload.length,
      offset: startBlock * bs,
      outputSize: c.data.length,
      blockSize: bs,
    });
  } else {
    await blockWrite(t.uboot, t.iface, t.loadAddress, startBlock, c.payload.length / bs);
  }
  const write = clock();
  const back = await readBackCrc(t.uboot, {
    iface: t.iface,
    address: t.loadAddress,
    startBlock,
    length: c.data.length,
    blockSize: bs,
  });
  if (back !== crcHex(c.data)) {
    throw new RiggerError(
      'OTA_007',
      `Chunk ${c.index} reads back wrong from the device (crc32 ${back}, expected ${crcHex(c.data)})`,
      { chunk: c.index },
      [
        'Resume the flash to write the chunk again',
        'If it keeps failing, the storage may be failing',
      ],
    );
  }
  return { load, check, write, read_back: clock() };
}
