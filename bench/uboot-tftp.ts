import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, gzipSync } from 'node:zlib';
import { openSerial, type SerialLink } from '../src/main/core/serial/link';
import { UBootDriver } from '../src/main/core/serial/uboot-driver';
import { sendYmodem } from '../src/main/core/transports/ymodem';
import {
  blockWrite,
  gzwrite,
  readBackCrc,
  setNetAddresses,
} from '../src/main/core/transfer/uboot-net';
import { flashChunks } from '../src/main/core/transfer/chunk-flash';
import { tftpLoader } from '../src/main/core/transfer/uboot-recovery';
import { GATEWAY_IP, LAPTOP_IP, startUbootNet } from '../test/helpers/uboot-net';
import { makeCompressibleImage } from './link-image';
import { timeIt } from './measure';

const SIZE_MB = Number(process.env.BENCH_UBOOT_MB ?? 64);
const CHUNK = 16 * 1024 * 1024;
const SAMPLE_KB = Number(process.env.BENCH_UBOOT_YMODEM_KB ?? 512);
const MiB = 1024 * 1024;
const crcHex = (b: Buffer) => crc32(b).toString(16).padStart(8, '0');

/** YMODEM `data` into `loady`, then wait for the prompt and let stray keys settle. */
async function ymodem(link: SerialLink, uboot: UBootDriver, data: Buffer): Promise<void> {
  const { received, from } = await uboot.loady('${loadaddr}');
  await sendYmodem(link, { name: 'chunk.bin', data, received, startTimeoutMs: 20_000 });
  await link.waitFor(/=> $/, from, 120_000, 'prompt after loady');
  await link.quiet(300, 3000);
}

async function prove(uboot: UBootDriver, startBlock: number, data: Buffer): Promise<void> {
  const got = await readBackCrc(uboot, {
    iface: 'virtio',
    address: '${loadaddr}',
    startBlock,
    length: data.length,
  });
  if (got !== crcHex(data))
    throw new Error(`crc32 mismatch after the write: ${got} vs ${crcHex(data)}`);
}

/**
 * Recovery into real U-Boot under QEMU (virtio-net on a tap in a network namespace): a 64 MiB
 * image over Rigger's TFTP server in 16 MiB gzip chunks (tftpboot, gzwrite, crc32 read back),
 * against YMODEM over the console; and gzip chunks over YMODEM (gzwrite) against raw ones.
 */
export async function benchUbootTftp(): Promise<string[]> {
  const board = await startUbootNet({ diskMiB: SIZE_MB + 32 });
  let link: SerialLink | null = null;
  try {
    const img = join(board.dir, 'image.img');
    makeCompressibleImage(img, SIZE_MB);
    const image = readFileSync(img);
    const tftp = await board.startTftp({});
    link = await openSerial(board.pty);
    const uboot = new UBootDriver(link);
    await uboot.stopAutoboot(90_000);
    await setNetAddresses(uboot, {
      gateway_ip: GATEWAY_IP,
      laptop_ip: LAPTOP_IP,
      netmask: '255.255.255.0',
    });
    await uboot.run('virtio scan', 30_000);
    const slotStart = MiB;

    // Rigger's recovery flash as it runs in a job: gzip each chunk, serve, tftpboot, gzwrite, prove.
    let onWire = 0;
    const tftpSecs = await timeIt(async () => {
      const r = await flashChunks({
        uboot,
        loader: tftpLoader(uboot, tftp),
        read: (offset, length) => Promise.resolve(image.subarray(offset, offset + length)),
        size: image.length,
        chunkBytes: CHUNK,
        iface: 'virtio',
        dev: 0,
        slotStartBlock: slotStart / 512,
        loadAddress: '${loadaddr}',
        gzip: true,
        namePrefix: 'bench',
      });
      onWire = r.bytesOnWire;
    });
    const onDisk = Buffer.alloc(image.length);
    const fd = openSync(board.disk, 'r');
    readSync(fd, onDisk, 0, image.length, slotStart);
    closeSync(fd);
    if (!onDisk.equals(image))
      throw new Error('the disk image does not hold the image after the TFTP recovery');
    await tftp.stop();

    // YMODEM: a sample of the same image, raw (block write) and gzip (gzwrite), each proven.
    const sample = image.subarray(0, SAMPLE_KB * 1024);
    const sampleGz = gzipSync(sample);
    const yStart = (slotStart + image.length) / 512;
    const rawSecs = await timeIt(async () => {
      await ymodem(link!, uboot, sample);
      await blockWrite(uboot, 'virtio', '${loadaddr}', yStart, sample.length / 512);
      await prove(uboot, yStart, sample);
    });
    const gzSecs = await timeIt(async () => {
      await ymodem(link!, uboot, sampleGz);
      await gzwrite(uboot, {
        iface: 'virtio',
        dev: 0,
        address: '${loadaddr}',
        length: sampleGz.length,
        offset: yStart * 512,
        outputSize: sample.length,
      });
      await prove(uboot, yStart, sample);
    });
    const rawRate = sample.length / rawSecs;
    const gzRate = sample.length / gzSecs;
    const ymodemFull = image.length / rawRate;
    const kbs = (r: number) => `${(r / 1024).toFixed(1)} KiB/s`;
    return [
      `Recovery of ${SIZE_MB} MiB into U-Boot under QEMU (tftpboot + gzwrite + crc32 read-back per ${CHUNK / MiB} MiB chunk; disk image checked):`,
      `${'tftp recovery (vs YMODEM, same proofs)'.padEnd(44)} rigger ${tftpSecs.toFixed(2)} s  reference ${(ymodemFull / 60).toFixed(0)} min  ratio ${(tftpSecs / ymodemFull).toFixed(4)}x  (goal: TFTP < 60 s)`,
      `  ${(onWire / MiB).toFixed(1)} MiB on the wire for ${SIZE_MB} MiB written; YMODEM's time extrapolated from a ${SAMPLE_KB} KiB sample at ${kbs(rawRate)} (the whole image would take ${(ymodemFull / 3600).toFixed(1)} h)`,
      `${'ymodem gzip + gzwrite (vs raw ymodem + write)'.padEnd(44)} rigger ${kbs(gzRate)}  reference ${kbs(rawRate)}  ratio ${(gzRate / rawRate).toFixed(2)}x of raw's effective rate  (goal >= 2x)`,
      `  ${SAMPLE_KB} KiB sample, gzip ${(sample.length / sampleGz.length).toFixed(2)}x; each proven by crc32 of the read-back`,
    ];
  } finally {
    await link?.close().catch(() => undefined);
    await board.stop();
  }
}
