import { RiggerError } from '../../../src/shared/errors';
import {
  chunkName,
  chunkPayload,
  flashChunk,
  type ChunkTarget,
} from '../../../src/main/core/transfer/chunk-flash';

/*
 * A test driver over the product's one-chunk flash (`chunkPayload` + `flashChunk`): a whole
 * image chunk by chunk, as the console flash job does, without its journal.
 */

export interface ChunkFlashOptions extends ChunkTarget {
  /** The image's bytes at an offset (a library file, read on demand). */
  read(offset: number, length: number): Promise<Buffer>;
  size: number;
  /** Bytes per chunk: a whole number of blocks that fits the board's RAM at `loadAddress`. */
  chunkBytes: number;
  /** Send gzip chunks and write them with gzwrite (where U-Boot has it). */
  gzip: boolean;
  /** zlib's level for gzip chunks (default 6). */
  gzipLevel?: number;
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
 * Flash an image into a slot from U-Boot, chunk by chunk (`flashChunk`): each loaded (gzip or
 * raw; TFTP or YMODEM), written, read back and proven, then reported proven. A failure leaves
 * every earlier chunk proven, so the job resumes from `startChunk`.
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
    const c = await chunkPayload(data, { gzip: o.gzip, blockSize: bs, level: o.gzipLevel });
    await flashChunk(o, { ...c, index: i, offset, name: chunkName(o.namePrefix, i, c.gzip) });
    bytesOnWire += c.payload.length;
    bytesWritten += data.length;
    await o.onProven?.({ chunk: i, chunks, bytesWritten, bytesOnWire });
  }
  return { chunks, bytesOnWire, bytesWritten };
}
