import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { closeSync, openSync, readSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core } from '../src/main/core/core';
import { GATEWAY_IP, LAPTOP_IP, startUbootNet, type UbootNet } from '../test/helpers/uboot-net';

const MiB = 1024 * 1024;

/** A console flash as `rigger console flash PORT --via …` asks it. */
export interface Way {
  via?: 'tftp' | 'ymodem';
  tftp_port?: number;
  compress?: boolean;
}

export interface FlashRun {
  secs: number;
  result: Record<string, unknown>;
}

/** Real U-Boot under QEMU on a tap in a network namespace, and a core with its console open. */
export interface ConsoleBench {
  board: UbootNet;
  /** Import an image file into the core's library (unsigned); its id. */
  importImage(path: string, version: string): Promise<string>;
  /** Flash slot B with the console flash job, timed from the call to the job's end. */
  flash(imageId: string, way: Way): Promise<FlashRun>;
  /** Throws unless slot B on the board's disk holds `image`. */
  checkSlot(image: Buffer, what: string): void;
  /** Close the core's console (a reference tool gets the pty alone). */
  releaseConsole(): Promise<void>;
  /** Open it again for the gateway, at the prompt. */
  reopenConsole(): Promise<void>;
  /** The slot's first block on the disk (blocks of 512). */
  slotStartBlock: number;
  stop(): Promise<void>;
}

/**
 * The bench's board and the core that flashes it, the way `rigger console flash` does: the
 * console opened for the gateway, autoboot stopped, `console.flash`, the job followed to its end.
 * A failing job stops the bench with the job's own error: its message, U-Boot's output, its step.
 */
export async function startConsoleBench(o: {
  diskMiB: number;
  slotStartMiB: number;
  chunkBytes: number;
}): Promise<ConsoleBench> {
  const board = await startUbootNet({
    diskMiB: o.diskMiB,
    // Booting slot A with no update pending: slot B is not bootable already (no saveenv needed,
    // which this QEMU's flash cannot do).
    env: { boot_slot: 'A', upgrade_available: '0', bootcount: '0', bootlimit: '3' },
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'rigger-bench-console-'));
  let core: Core | null = null;
  try {
    const profile = JSON.parse(
      readFileSync(join(__dirname, '../resources/profiles/univa-gw-pro.json'), 'utf8'),
    );
    profile.name = 'bench-board';
    profile.console = {
      ...profile.console,
      block_command: 'virtio',
      block_device: '0',
      slot_start_block: { A: 2048, B: (o.slotStartMiB * MiB) / 512 },
      max_load_bytes: o.chunkBytes,
      net: { gateway_ip: GATEWAY_IP, laptop_ip: LAPTOP_IP, netmask: '255.255.255.0' },
    };
    mkdirSync(join(dataDir, 'profiles'));
    writeFileSync(join(dataDir, 'profiles', 'bench-board.json'), JSON.stringify(profile));
    const c = createCore({
      dataDir,
      mode: 'test',
      consoleChunkServer: (_net, port) => board.startTftp({}, { port }),
    });
    core = c;
    await c.call('gateways.add', {
      name: 'bench-crane',
      profile: 'bench-board',
      connection: { type: 'serial', port: board.pty },
    });
    let { session_id } = await c.call('console.open', {
      path: board.pty,
      gateway: 'bench-crane',
    });
    await c.call('console.action', { session_id, action: 'stop_autoboot' });
    return {
      board,
      importImage: async (path, version) =>
        (await c.call('images.import', { path, unsigned: true, version })).id,
      flash: async (imageId, way) => {
        const t0 = process.hrtime.bigint();
        const { job_id } = await c.call('console.flash', {
          session_id,
          image_id: imageId,
          slot: 'B',
          allow_unsigned: true,
          ...way,
        });
        await c.jobs.wait(job_id);
        const secs = Number(process.hrtime.bigint() - t0) / 1e9;
        const row = c.jobs.store.find(job_id)!;
        if (row.status !== 'success') throw new Error(jobFailure(c, job_id));
        return { secs, result: row.result ?? {} };
      },
      checkSlot: (image, what) => {
        const fd = openSync(board.disk, 'r');
        const back = Buffer.alloc(image.length);
        readSync(fd, back, 0, image.length, o.slotStartMiB * MiB);
        closeSync(fd);
        if (!back.equals(image)) throw new Error(`slot B on the disk image is wrong after ${what}`);
      },
      slotStartBlock: (o.slotStartMiB * MiB) / 512,
      releaseConsole: async () => {
        await c.call('console.close', { session_id });
      },
      reopenConsole: async () => {
        ({ session_id } = await c.call('console.open', {
          path: board.pty,
          gateway: 'bench-crane',
        }));
      },
      stop: async () => {
        await c.close();
        await board.stop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await core?.close().catch(() => undefined);
    await board.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
}

/** Why a flash job failed, whole: its error, U-Boot's words, the step it stopped in. */
function jobFailure(core: Core, jobId: string): string {
  const row = core.jobs.store.find(jobId)!;
  const err = row.error;
  const failed = core.jobs.store.steps(jobId).filter((s) => s.status === 'failed');
  const output = err?.details && typeof err.details.output === 'string' ? err.details.output : '';
  return [
    `console flash job ${jobId} ${row.status}: ${err?.message ?? '(no error recorded)'}`,
    failed.length ? `  in step ${failed.map((s) => s.name).join(', ')}` : '',
    output ? `  U-Boot said: ${output.trim().slice(-600)}` : '',
    err?.details ? `  details: ${JSON.stringify(err.details).slice(0, 800)}` : '',
  ]
    .filter(Boolean)
    .join('\n');
}
