import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { RiggerError } from '../../../shared/errors';
import type { Profile, SlotId } from '../../../shared/profile';
import { otherSlot } from '../bootloader/slots';
import { schemeFor } from '../bootloader/scheme';
import type { JobBody, JobContext } from '../jobs/engine';
import { envMismatch } from '../ota/env-write';
import type { SlotSource } from '../slots/contract';
import { abortError } from '../slots/retry';
import { flashChunks } from '../transfer/chunk-flash';
import { tftpLoader, ymodemLoader, type ChunkLoader } from '../transfer/uboot-recovery';
import { pathAndServer, sequentialReader, type ChunkServerFactory } from './console-flash-path';
import type { UBootDriver } from './uboot-driver';

const gzipAsync = promisify(gzip);

/** How a console flash travels: asked for, or chosen from what the board offers. */
export interface ConsoleFlashOptions {
  via?: 'tftp' | 'ymodem';
  /** The laptop's TFTP port; default DEFAULT_TFTP_PORT (unprivileged, told to U-Boot). */
  tftpPort?: number;
  /** false: raw chunks even where U-Boot has gzwrite (one whose gzwrite misbehaves). */
  compress?: boolean;
  chunkServer: ChunkServerFactory;
}

type Con = NonNullable<Profile['console']>;

/** Make the target unbootable at U-Boot (rule 2); a saveenv that fails stops the flash. */
async function disableTarget(uboot: UBootDriver, profile: Profile, target: SlotId) {
  const env = await uboot.printenv();
  const keep = otherSlot(target);
  const state = schemeFor(profile).read(env, profile, null);
  if (state.next_slot === target) {
    throw new RiggerError(
      'OTA_008',
      `Slot ${target} is the one U-Boot boots next: switch to slot ${keep} first, then flash ${target}`,
      { target, next_slot: state.next_slot },
      [`Use "Boot slot ${keep} from now on", then flash slot ${target}`],
    );
  }
  const vars = schemeFor(profile).disable(target, keep, profile);
  const bad = envMismatch(env, vars);
  if (bad.length) {
    for (const { name, expected } of bad) await uboot.setenv(name, expected);
    await uboot.saveenv();
  }
}

async function selectStorage(uboot: UBootDriver, con: Con) {
  if (con.block_command === 'virtio') await uboot.run('virtio scan', 30_000);
  const dev = await uboot.run(`${con.block_command} dev ${con.block_device}`, 30_000);
  if (dev.failed) {
    throw new RiggerError('COMMAND_FAILED', `U-Boot cannot select the storage: ${dev.output}`, {
      output: dev.output,
    });
  }
}

/**
 * Flash a slot from U-Boot: the target made unbootable first, then chunk by chunk over TFTP
 * (the board answers on console.net and has tftpboot) or YMODEM, gzip where U-Boot has gzwrite,
 * each chunk proven by crc32 in RAM and read back from the storage, and journaled: a resumed
 * job goes on from the first chunk not proven.
 */
export function consoleFlashBody(
  uboot: UBootDriver,
  profile: Profile,
  source: SlotSource,
  target: SlotId,
  opts: ConsoleFlashOptions,
): JobBody {
  return async (ctx) => {
    const con = profile.console;
    if (!con) {
      throw new RiggerError('PROFILE_INVALID', "The gateway's profile has no console section", {}, [
        "Add the console section (block command, slot start blocks) to the gateway's profile",
      ]);
    }
    ctx.setStatus('verifying', 'checking_boot_environment');
    await ctx.step('make_target_unbootable', () => disableTarget(uboot, profile, target));
    await selectStorage(uboot, con);
    const { path, server } = await ctx.step('choose_path', () => pathAndServer(uboot, con, opts));
    await ctx.step('path_chosen', async () => path, { ...path });
    const st = ctx.row().state;
    const bs = con.block_size;
    const chunkBytes =
      typeof st.chunk_bytes === 'number'
        ? st.chunk_bytes
        : Math.max(bs, Math.floor(con.max_load_bytes / bs) * bs);
    const first = typeof st.console_chunks_done === 'number' ? st.console_chunks_done : 0;
    ctx.state({
      chunk_bytes: chunkBytes,
      via: path.via,
      via_reason: path.reason,
      resumable: true,
      bytes_total: source.size,
    });
    let reader: ReturnType<typeof sequentialReader> | null = null;
    try {
      reader = sequentialReader(
        source.open({ start: first * chunkBytes, length: source.size - first * chunkBytes }),
        first * chunkBytes,
      );
      const started = Date.now();
      let base = first * chunkBytes;
      const chunks = Math.ceil(source.size / chunkBytes);
      let chunk = first;
      // The page shows the path, the chunk under way and where a resumed flash went on from.
      const progress = (bytes: number) => {
        const secs = (Date.now() - started) / 1000;
        const speed = secs > 0 ? (bytes - first * chunkBytes) / secs : 0;
        ctx.progress(bytes, source.size, Math.max(0, speed), undefined, {
          via: path.via,
          chunk: Math.min(chunk + 1, chunks),
          chunks,
          resumed_from_chunk: first,
        });
      };
      const loader: ChunkLoader = server
        ? tftpLoader(uboot, server)
        : ymodemLoader(uboot, {
            signal: ctx.signal,
            onProgress: (sent) => progress(Math.min(source.size, base + sent)),
          });
      ctx.setStatus('downloading', 'writing_over_console');
      for (let i = first; i < chunks; i++) {
        if (ctx.signal.aborted) throw abortError();
        base = i * chunkBytes;
        chunk = i;
        progress(base);
        await flashOne(ctx, {
          uboot,
          con,
          target,
          loader,
          reader,
          i,
          chunkBytes,
          size: source.size,
          path,
        });
        progress(Math.min(source.size, (i + 1) * chunkBytes));
      }
      ctx.progress(source.size, source.size, 0, 100);
      const s = ctx.row().state;
      return {
        message: `Slot ${target} written from U-Boot over ${path.via === 'tftp' ? 'TFTP' : 'YMODEM'} and read back chunk by chunk (${chunks} chunks)`,
        result: {
          target,
          chunks,
          bytes: source.size,
          bytes_written: source.size,
          bytes_on_wire: s.bytes_on_wire ?? 0,
          via: path.via,
          via_reason: path.reason,
          resumed_from_chunk: first,
          version: source.version,
        },
      };
    } finally {
      reader?.close();
      await server?.stop();
    }
  };
}

interface ChunkJob {
  uboot: UBootDriver;
  con: Con;
  target: SlotId;
  loader: ChunkLoader;
  reader: { read(offset: number, length: number): Promise<Buffer> };
  i: number;
  chunkBytes: number;
  size: number;
  path: { via: string; gzwrite: boolean };
}

/** One chunk as one journaled step; a failure says where it stopped and that it resumes. */
async function flashOne(ctx: JobContext, c: ChunkJob) {
  const { con, i, chunkBytes, size } = c;
  const offset = i * chunkBytes;
  const data = await c.reader.read(offset, Math.min(chunkBytes, size - offset));
  // gzip only when the compressed chunk fits where U-Boot loads it (random data grows a little).
  const gz = c.path.gzwrite && (await gzipAsync(data)).length <= con.max_load_bytes;
  const prefix = `rg-${ctx.id.replace(/[^a-z0-9]/gi, '').slice(-8)}`;
  await ctx
    .step(
      'console_chunk',
      () =>
        flashChunks({
          uboot: c.uboot,
          loader: c.loader,
          read: () => Promise.resolve(data),
          size: offset + data.length,
          chunkBytes,
          blockSize: con.block_size,
          iface: con.block_command,
          dev: Number(con.block_device),
          slotStartBlock: con.slot_start_block[c.target],
          loadAddress: con.load_address,
          gzip: gz,
          namePrefix: prefix,
          startChunk: i,
          signal: ctx.signal,
          onProven: ({ bytesOnWire }) => {
            const prior = Number(ctx.row().state.bytes_on_wire ?? 0);
            ctx.state({
              console_chunks_done: i + 1,
              bytes_written: offset + data.length,
              bytes_on_wire: prior + bytesOnWire,
            });
          },
        }),
      {
        chunk: i,
        via: c.path.via,
        gzip: gz,
        block: con.slot_start_block[c.target] + offset / con.block_size,
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
