import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { openSerial } from '../src/main/core/serial/link';
import { UBootDriver } from '../src/main/core/serial/uboot-driver';
import { sendYmodem } from '../src/main/core/transports/ymodem';
import { startQemuUboot } from '../test/helpers/qemu-uboot';
import { timeIt } from './measure';

const SIZE_KB = Number(process.env.BENCH_YMODEM_KB ?? 256);

/** The crc32 U-Boot computes over what arrived, against the file's. */
async function checkCrc(uboot: UBootDriver, data: Buffer): Promise<void> {
  // Let stray prompts (keys that came after the transfer) settle, or one is taken as the answer.
  await uboot.link.quiet(300, 3000);
  const r = await uboot.run(`crc32 \${loadaddr} ${data.length.toString(16)}`);
  const want = crc32(data).toString(16).padStart(8, '0');
  if (!r.output.includes(`==> ${want}`)) throw new Error(`crc32 mismatch: ${r.output}`);
}

/**
 * YMODEM into real U-Boot's `loady` under QEMU: Rigger's sender against `sz --ymodem -k`
 * (lrzsz) into the same U-Boot through the same pty, same file, bytes per second compared.
 */
export async function benchYmodem(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'rigger-bench-ymodem-'));
  const qemu = await startQemuUboot({ bootdelay: '1' });
  const data = randomBytes(SIZE_KB * 1024);
  const file = join(dir, 'payload.bin');
  writeFileSync(file, data);
  let link = await openSerial(qemu.pty);
  try {
    let uboot = new UBootDriver(link);
    await uboot.stopAutoboot(60_000);

    // Alternating rounds, best of each: loady's first 'C' comes at its own pace.
    const riggerRuns: number[] = [];
    const szRuns: number[] = [];
    for (let round = 0; round < 2; round++) {
      const { received, from } = await uboot.loady('${loadaddr}');
      riggerRuns.push(
        await timeIt(async () => {
          await sendYmodem(link, { name: 'payload.bin', data, received, startTimeoutMs: 20_000 });
          await link.waitFor(/=> $/, from, 60_000, 'prompt after loady');
        }),
      );
      await checkCrc(uboot, data);

      // sz, alone on the pty (Rigger's link closed so it does not read sz's answers).
      await uboot.loady('${loadaddr}');
      await link.close();
      execFileSync('stty', ['-F', qemu.pty, 'raw', '-echo', '115200']);
      const t0 = process.hrtime.bigint();
      const sz = spawnSync('sh', ['-c', `sz --ymodem -k '${file}' < ${qemu.pty} > ${qemu.pty}`], {
        stdio: ['ignore', 'ignore', 'pipe'],
        timeout: 600_000,
      });
      szRuns.push(Number(process.hrtime.bigint() - t0) / 1e9);
      if (sz.status !== 0) throw new Error(`sz failed: ${sz.stderr?.toString()}`);
      link = await openSerial(qemu.pty);
      uboot = new UBootDriver(link);
      link.write('\r');
      await link.waitFor(/=> $/, link.mark(), 30_000, 'prompt after sz');
      await checkCrc(uboot, data);
    }
    const rigger = Math.min(...riggerRuns);
    const reference = Math.min(...szRuns);

    const kb = (s: number) => (SIZE_KB / s).toFixed(1);
    return [
      `YMODEM-1K of ${SIZE_KB} KiB into U-Boot's loady (QEMU, pty), crc32 checked after each:`,
      `${'ymodem (vs sz --ymodem -k)'.padEnd(44)} rigger ${kb(rigger)} KiB/s  sz ${kb(reference)} KiB/s  ratio ${(reference / rigger).toFixed(3)}x of sz's rate  (goal >= 0.95x)`,
    ];
  } finally {
    await link.close().catch(() => undefined);
    await qemu.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
