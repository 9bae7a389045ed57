import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { openSerial } from '../src/main/core/serial/link';
import { UBootDriver } from '../src/main/core/serial/uboot-driver';
import { blockWrite, crc32At, readBackCrc } from '../src/main/core/transfer/uboot-net';
import { startConsoleBench, type ConsoleBench } from './uboot-board';

const SIZE_KB = Number(process.env.BENCH_YMODEM_KB ?? 256);
const crcHex = (b: Buffer) => crc32(b).toString(16).padStart(8, '0');

/**
 * The reference: `sz --ymodem -k` alone on the pty into `loady`, then the proofs the job makes,
 * typed at the prompt (crc32 in RAM, the block write, the read-back and its crc32).
 */
async function szWithProofs(bench: ConsoleBench, file: string, data: Buffer): Promise<number> {
  const pty = bench.board.pty;
  await bench.releaseConsole();
  let link = await openSerial(pty);
  const t0 = process.hrtime.bigint();
  try {
    await new UBootDriver(link).loady('${loadaddr}');
    // sz alone on the pty: Rigger's link closed so it does not read sz's answers.
    await link.close();
    execFileSync('stty', ['-F', pty, 'raw', '-echo', '115200']);
    const sz = spawnSync('sh', ['-c', `sz --ymodem -k '${file}' < ${pty} > ${pty}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 600_000,
    });
    if (sz.status !== 0) throw new Error(`sz failed (${sz.status}): ${sz.stderr?.toString()}`);
    link = await openSerial(pty);
    const uboot = new UBootDriver(link);
    link.write('\r');
    await link.waitFor(/=> $/, link.mark(), 30_000, 'prompt after sz');
    const inRam = await crc32At(uboot, '${loadaddr}', data.length);
    if (inRam !== crcHex(data)) throw new Error(`sz: crc32 in RAM ${inRam}, not ${crcHex(data)}`);
    await blockWrite(uboot, 'virtio', '${loadaddr}', bench.slotStartBlock, data.length / 512);
    const back = await readBackCrc(uboot, {
      iface: 'virtio',
      address: '${loadaddr}',
      startBlock: bench.slotStartBlock,
      length: data.length,
    });
    if (back !== crcHex(data)) throw new Error(`sz: read back crc32 ${back}, not ${crcHex(data)}`);
    return Number(process.hrtime.bigint() - t0) / 1e9;
  } finally {
    await link.close();
    await bench.reopenConsole();
  }
}

/**
 * YMODEM into real U-Boot's `loady` under QEMU: Rigger's console flash job with raw chunks (as
 * `rigger console flash PORT --via ymodem --no-compress` runs it) against `sz --ymodem -k`
 * (lrzsz) into the same U-Boot through the same pty with the same proofs; same file, the slot
 * on the disk image checked after each.
 */
export async function benchYmodem(): Promise<string[]> {
  const bench = await startConsoleBench({ diskMiB: 64, slotStartMiB: 32, chunkBytes: 16 << 20 });
  try {
    const data = randomBytes(SIZE_KB * 1024);
    const file = join(bench.board.dir, 'payload.img');
    writeFileSync(file, data);
    const id = await bench.importImage(file, 'v9.1.0-bench-ymodem');
    // Alternating rounds, best of each: loady's first 'C' comes at its own pace.
    const riggerRuns: number[] = [];
    const szRuns: number[] = [];
    for (let round = 0; round < 2; round++) {
      riggerRuns.push((await bench.flash(id, { via: 'ymodem', compress: false })).secs);
      bench.checkSlot(data, "Rigger's job");
      szRuns.push(await szWithProofs(bench, file, data));
      bench.checkSlot(data, 'sz and the typed proofs');
    }
    const rigger = Math.min(...riggerRuns);
    const reference = Math.min(...szRuns);
    const kb = (s: number) => (SIZE_KB / s).toFixed(1);
    return [
      `YMODEM-1K of ${SIZE_KB} KiB into U-Boot's loady (QEMU, pty), each written and proven by crc32 read back:`,
      `${'ymodem job (vs sz --ymodem -k + proofs)'.padEnd(44)} rigger ${kb(rigger)} KiB/s  sz ${kb(reference)} KiB/s  ratio ${(reference / rigger).toFixed(3)}x of sz's rate  (goal >= 0.95x)`,
    ];
  } finally {
    await bench.stop();
  }
}
