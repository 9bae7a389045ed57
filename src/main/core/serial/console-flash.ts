import { crc32 } from 'node:zlib';
import { RiggerError } from '../../../shared/errors';
import type { Profile, SlotId } from '../../../shared/profile';
import { schemeFor } from '../bootloader/scheme';
import type { JobBody } from '../jobs/engine';
import { envMismatch } from '../ota/env-write';
import type { SlotSource } from '../slots/contract';
import { abortError } from '../slots/retry';
import { otherSlot } from '../bootloader/slots';
import { sendYmodem } from '../transports/ymodem';
import type { UBootDriver } from './uboot-driver';

const hex = (n: number) => n.toString(16);
const crcHex = (b: Buffer) => crc32(b).toString(16).padStart(8, '0');

/** Read a whole image into chunks of at most `max` bytes, each a multiple of the block size. */
async function* chunksOf(source: SlotSource, max: number, block: number): AsyncGenerator<Buffer> {
  const size = Math.max(block, Math.floor(max / block) * block);
  let pending: Buffer[] = [];
  let have = 0;
  for await (const c of source.open()) {
    pending.push(c as Buffer);
    have += (c as Buffer).length;
    while (have >= size) {
      const all = Buffer.concat(pending);
      yield all.subarray(0, size);
      pending = [all.subarray(size)];
      have = all.length - size;
    }
  }
  if (have) {
    // The last chunk is padded to whole blocks (the slot's bytes after the image do not matter).
    const last = Buffer.concat(pending);
    const padded = Buffer.alloc(Math.ceil(last.length / block) * block);
    last.copy(padded);
    yield padded;
  }
}

/**
 * Flash a slot over the serial console at U-Boot: the target made unbootable first (rule 2;
 * a saveenv that fails stops it), then for each chunk of at most `max_load_bytes`: YMODEM into
 * RAM with `loady`, `crc32` of what arrived, the profile's block write, a read back and its
 * `crc32` again, before the next chunk. Slow by nature: the ETA is the measured rate.
 */
export function consoleFlashBody(
  uboot: UBootDriver,
  profile: Profile,
  source: SlotSource,
  target: SlotId,
): JobBody {
  return async (ctx) => {
    const con = profile.console;
    if (!con) {
      throw new RiggerError('PROFILE_INVALID', "The gateway's profile has no console section", {}, [
        "Add the console section (block command, slot start blocks) to the gateway's profile",
      ]);
    }
    const total = source.size;
    ctx.setStatus('verifying', 'checking_boot_environment');
    await ctx.step('make_target_unbootable', async () => {
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
        await uboot.saveenv(); // its failure stops the flash: the slot would still be bootable
      }
    });
    if (con.block_command === 'virtio') await uboot.run('virtio scan', 30_000);
    const dev = await uboot.run(`${con.block_command} dev ${con.block_device}`, 30_000);
    if (dev.failed) {
      throw new RiggerError('COMMAND_FAILED', `U-Boot cannot select the storage: ${dev.output}`, {
        output: dev.output,
      });
    }
    ctx.setStatus('downloading', 'writing_over_console');
    const started = Date.now();
    let done = 0;
    let index = 0;
    for await (const chunk of chunksOf(source, con.max_load_bytes, con.block_size)) {
      if (ctx.signal.aborted) throw abortError();
      const blockStart = con.slot_start_block[target] + done / con.block_size;
      const count = chunk.length / con.block_size;
      await ctx
        .step(
          'console_chunk',
          async () => {
            const { received, from } = await uboot.loady(con.load_address);
            await sendYmodem(uboot.link, {
              name: `chunk-${index}.bin`,
              data: chunk,
              received,
              signal: ctx.signal,
              onProgress: (sent) => {
                const secs = (Date.now() - started) / 1000;
                const bytes = Math.min(total, done + sent);
                ctx.progress(bytes, total, secs > 0 ? bytes / secs : 0);
              },
            });
            await uboot.link.waitFor(/=> $/, from, 30_000, 'prompt after loady');
            const want = crcHex(chunk);
            const got = await uboot.run(`crc32 ${con.load_address} ${hex(chunk.length)}`);
            if (!got.output.includes(`==> ${want}`)) {
              throw new RiggerError('OTA_007', `Chunk ${index} arrived damaged in RAM`, {
                chunk: index,
                expected: want,
                actual: got.output.trim(),
              });
            }
            const w = await uboot.run(
              `${con.block_command} write ${con.load_address} ${hex(blockStart)} ${hex(count)}`,
              120_000,
            );
            if (w.failed) {
              throw new RiggerError(
                'COMMAND_FAILED',
                `Writing chunk ${index} failed: ${w.output}`,
                {
                  chunk: index,
                  output: w.output,
                },
              );
            }
            // Read it back from the storage and prove it before the next chunk.
            await uboot.run(`mw.b ${con.load_address} 0 ${hex(chunk.length)}`);
            const r = await uboot.run(
              `${con.block_command} read ${con.load_address} ${hex(blockStart)} ${hex(count)}`,
              120_000,
            );
            const back = await uboot.run(`crc32 ${con.load_address} ${hex(chunk.length)}`);
            if (r.failed || !back.output.includes(`==> ${want}`)) {
              throw new RiggerError(
                'OTA_007',
                `Chunk ${index} read back from slot ${target} differs from what was sent`,
                { chunk: index, expected: want, actual: back.output.trim(), slot: target },
                ['Flash again', 'The storage may be failing'],
              );
            }
          },
          { chunk: index, block: blockStart, blocks: count },
        )
        .catch((err: unknown) => {
          // Say where it stopped: the chunks before this one are written and proven.
          const e = err instanceof RiggerError ? err : null;
          throw new RiggerError(
            e?.code ?? 'COMMAND_FAILED',
            `${(err as Error).message} — stopped at chunk ${index + 1} (byte ${done} of ${total}); the ${index} chunk(s) before it are written and proven`,
            { ...(e?.details ?? {}), chunk: index, bytes_written: done, bytes_total: total },
            [
              ...(e?.suggestedActions ?? []),
              `Flash slot ${target} again: the slot stays unbootable until a flash completes`,
            ],
          );
        });
      done += chunk.length;
      index++;
      ctx.state({ console_chunks_done: index, bytes_written: done });
    }
    ctx.progress(total, total, 0, 100);
    return {
      message: `Slot ${target} written over the console and read back chunk by chunk (${index} chunks)`,
      result: { target, chunks: index, bytes: done, version: source.version },
    };
  };
}
