import { RiggerError } from '../../../shared/errors';
import type { Profile, SlotId } from '../../../shared/profile';
import type { JobContext } from '../jobs/engine';
import { abortError } from '../slots/retry';
import {
  chunkName,
  chunkPayload,
  flashChunk,
  type ChunkPayload,
  type ChunkPhases,
} from '../transfer/chunk-flash';
import type { ChunkLoader } from '../transfer/uboot-recovery';
import type { UBootDriver } from './uboot-driver';

type Con = NonNullable<Profile['console']>;

/**
 * zlib's level per path: over YMODEM (about 11 KiB/s at 115200 baud) every byte saved is worth
 * far more than the laptop's time, and that time is hidden behind the previous chunk's transfer;
 * over TFTP the link is fast, so the default level keeps the laptop ahead of it.
 */
export const GZIP_LEVEL = { ymodem: 9, tftp: 6 } as const;

/** A chunk read and put in its travelling form, with the laptop's seconds for it. */
export type PreparedChunk = ChunkPayload & { index: number; offset: number; prepare: number };

/** Read chunk `i` and compress it once (gzip where it fits the load area, else raw). */
export async function prepareChunk(
  reader: { read(offset: number, length: number): Promise<Buffer> },
  o: { con: Con; i: number; chunkBytes: number; size: number; gzip: boolean; level: number },
): Promise<PreparedChunk> {
  const t0 = performance.now();
  const offset = o.i * o.chunkBytes;
  const data = await reader.read(offset, Math.min(o.chunkBytes, o.size - offset));
  const c = await chunkPayload(data, {
    gzip: o.gzip,
    blockSize: o.con.block_size,
    maxBytes: o.con.max_load_bytes,
    level: o.level,
  });
  return { ...c, index: o.i, offset, prepare: (performance.now() - t0) / 1000 };
}

export interface ChunkJob {
  uboot: UBootDriver;
  con: Con;
  target: SlotId;
  loader: ChunkLoader;
  size: number;
  via: string;
}

/** One chunk as one journaled step; a failure says where it stopped and that it resumes. */
export async function flashOne(
  ctx: JobContext,
  j: ChunkJob,
  c: PreparedChunk,
): Promise<ChunkPhases> {
  const { con, size } = j;
  const { index: i, offset, data } = c;
  const prefix = `rg-${ctx.id.replace(/[^a-z0-9]/gi, '').slice(-8)}`;
  return ctx
    .step(
      'console_chunk',
      async () => {
        const phases = await flashChunk(
          {
            uboot: j.uboot,
            loader: j.loader,
            blockSize: con.block_size,
            iface: con.block_command,
            dev: Number(con.block_device),
            slotStartBlock: con.slot_start_block[j.target],
            loadAddress: con.load_address,
          },
          { ...c, name: chunkName(prefix, i, c.gzip) },
        );
        const prior = Number(ctx.row().state.bytes_on_wire ?? 0);
        ctx.state({
          console_chunks_done: i + 1,
          bytes_written: offset + data.length,
          bytes_on_wire: prior + c.payload.length,
        });
        return phases;
      },
      {
        chunk: i,
        via: j.via,
        gzip: c.gzip,
        block: con.slot_start_block[j.target] + offset / con.block_size,
      },
    )
    .catch((err: unknown) => {
      if (ctx.signal.aborted) throw abortError();
      const e = err instanceof RiggerError ? err : null;
      throw new RiggerError(
        e?.code ?? 'COMMAND_FAILED',
        `${(err as Error).message} — stopped at chunk ${i + 1} (byte ${offset} of ${size}); the ${i} chunk(s) before it are written and proven`,
        {
          ...(e?.details ?? {}),
          chunk: i,
          bytes_written: offset,
          bytes_total: size,
          resumable: true,
        },
        [
          ...(e?.suggestedActions ?? []),
          `Resume the job (rigger jobs resume ${ctx.id}): it goes on from chunk ${i + 1}; the slot stays unbootable until a flash completes`,
        ],
      );
    });
}
