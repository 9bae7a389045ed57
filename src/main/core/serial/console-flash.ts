import { RiggerError } from '../../../shared/errors';
import type { Profile, SlotId } from '../../../shared/profile';
import { otherSlot } from '../bootloader/slots';
import { schemeFor } from '../bootloader/scheme';
import type { JobBody } from '../jobs/engine';
import { envMismatch } from '../ota/env-write';
import type { SlotSource } from '../slots/contract';
import { abortError } from '../slots/retry';
import { tftpLoader, ymodemLoader, type ChunkLoader } from '../transfer/uboot-recovery';
import { flashOne, GZIP_LEVEL, prepareChunk, type PreparedChunk } from './console-flash-chunk';
import { pathAndServer, sequentialReader, type ChunkServerFactory } from './console-flash-path';
import type { UBootDriver } from './uboot-driver';

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
      const image = sequentialReader(
        source.open({ start: first * chunkBytes, length: source.size - first * chunkBytes }),
        first * chunkBytes,
      );
      reader = image;
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
      const job = { uboot, con, target, loader, size: source.size, via: path.via };
      // The next chunk is read and compressed while this one travels: the laptop's gzip is
      // off the critical path, and each chunk is compressed once.
      const prepare = (i: number) =>
        prepareChunk(image, {
          con,
          i,
          chunkBytes,
          size: source.size,
          gzip: path.gzwrite,
          level: GZIP_LEVEL[path.via],
        });
      const phases = { prepare: 0, load: 0, check: 0, write: 0, read_back: 0 };
      let next: Promise<PreparedChunk> | null = first < chunks ? prepare(first) : null;
      for (let i = first; i < chunks && next; i++) {
        if (ctx.signal.aborted) throw abortError();
        base = i * chunkBytes;
        chunk = i;
        progress(base);
        const c = await next;
        next = i + 1 < chunks ? prepare(i + 1) : null;
        // A failed chunk ends the job before the prefetch is awaited: its error is not news.
        next?.catch(() => undefined);
        const took = await flashOne(ctx, job, c);
        phases.prepare += c.prepare;
        for (const k of ['load', 'check', 'write', 'read_back'] as const) phases[k] += took[k];
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
          // Seconds per phase over the chunks of this run (prepare: the laptop's read and gzip,
          // mostly while the previous chunk travelled).
          phase_seconds: Object.fromEntries(
            Object.entries(phases).map(([k, v]) => [k, Math.round(v * 1000) / 1000]),
          ),
        },
      };
    } finally {
      reader?.close();
      await server?.stop();
    }
  };
}
