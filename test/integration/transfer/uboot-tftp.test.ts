import { randomBytes } from 'node:crypto';
import { openSync, readSync, closeSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSerial, type SerialLink } from '../../../src/main/core/serial/link';
import { UBootDriver } from '../../../src/main/core/serial/uboot-driver';
import {
  blockWrite,
  crc32At,
  gzwrite,
  hasCommand,
  readBackCrc,
  setNetAddresses,
  tftpboot,
} from '../../../src/main/core/transfer/uboot-net';
import { flashChunks } from './flash-chunks';
import {
  probeRecoveryPath,
  tftpLoader,
  ymodemLoader,
} from '../../../src/main/core/transfer/uboot-recovery';
import {
  GATEWAY_IP,
  LAPTOP_IP,
  startUbootNet,
  type NsTftp,
  type UbootNet,
} from '../../helpers/uboot-net';

/**
 * Recovery over U-Boot's network: real U-Boot (QEMU arm64, virtio-net on a tap in a network
 * namespace the test makes) fetches from Rigger's TFTP server with tftpboot, writes with gzwrite
 * or the block command, proves with crc32 read back; the disk image is checked on the host.
 */
let board: UbootNet;
let tftp: NsTftp;
let link: SerialLink;
let uboot: UBootDriver;
const MiB = 1024 * 1024;
// Half random, half a repeating text: gzip makes it about half as big, as an image's would be.
const image = Buffer.concat([randomBytes(8 * MiB), Buffer.alloc(8 * MiB, 'rigger gateway image ')]);
const raw = randomBytes(MiB + 4096);
const crcHex = (b: Buffer) => crc32(b).toString(16).padStart(8, '0');

function diskAt(offset: number, length: number): Buffer {
  const fd = openSync(board.disk, 'r');
  try {
    const b = Buffer.alloc(length);
    readSync(fd, b, 0, length, offset);
    return b;
  } finally {
    closeSync(fd);
  }
}

beforeAll(async () => {
  board = await startUbootNet({ diskMiB: 96 });
  writeFileSync(join(board.dir, 'img.gz'), gzipSync(image));
  writeFileSync(join(board.dir, 'raw.bin'), raw);
  tftp = await board.startTftp({
    'chunk-0000.gz': join(board.dir, 'img.gz'),
    'chunk-raw.bin': join(board.dir, 'raw.bin'),
  });
  link = await openSerial(board.pty);
  uboot = new UBootDriver(link);
  await uboot.stopAutoboot(90_000);
  await setNetAddresses(uboot, {
    gateway_ip: GATEWAY_IP,
    laptop_ip: LAPTOP_IP,
    netmask: '255.255.255.0',
  });
  await uboot.run('virtio scan', 30_000);
}, 180_000);

afterAll(async () => {
  await link?.close().catch(() => undefined);
  await tftp?.stop();
  await board?.stop();
});

describe('Recovery into real U-Boot (TFTP, and YMODEM where the network is down)', () => {
  it('tftpboots a 16 MiB gzip image, gzwrites it at the slot offset and proves it by crc32 read back', async () => {
    expect(await hasCommand(uboot, 'gzwrite')).toBe(true);
    const gz = gzipSync(image);
    const got = await tftpboot(uboot, '${loadaddr}', 'chunk-0000.gz');
    expect(got.bytes).toBe(gz.length);
    expect(await crc32At(uboot, '${loadaddr}', gz.length)).toBe(crcHex(gz));
    const offset = 4 * MiB; // the slot's start on the "eMMC"
    const w = await gzwrite(uboot, {
      iface: 'virtio',
      dev: 0,
      address: '${loadaddr}',
      length: gz.length,
      offset,
      outputSize: image.length,
    });
    expect(w).toEqual({ bytes: image.length, crc: crcHex(image) });
    const back = await readBackCrc(uboot, {
      iface: 'virtio',
      address: '${loadaddr}',
      startBlock: offset / 512,
      length: image.length,
    });
    expect(back).toBe(crcHex(image));
    expect(diskAt(offset, image.length).equals(image)).toBe(true);
    expect(diskAt(0, 4096).equals(Buffer.alloc(4096))).toBe(true); // nothing before the slot
    expect(
      tftp.events.find((e) => e.name === 'chunk-0000.gz' && e.status === 'done'),
    ).toMatchObject({
      bytes: gz.length,
      client: expect.stringContaining(GATEWAY_IP),
    });
  });

  it('writes a raw chunk with the block command where gzwrite is not used', async () => {
    await tftpboot(uboot, '${loadaddr}', 'chunk-raw.bin');
    const start = (32 * MiB) / 512;
    await blockWrite(uboot, 'virtio', '${loadaddr}', start, raw.length / 512);
    await uboot.run(`mw.b \${loadaddr} 0 ${raw.length.toString(16)}`);
    expect(
      await readBackCrc(uboot, {
        iface: 'virtio',
        address: '${loadaddr}',
        startBlock: start,
        length: raw.length,
      }),
    ).toBe(crcHex(raw));
    expect(diskAt(32 * MiB, raw.length).equals(raw)).toBe(true);
  });

  it('sends windows of blocks when U-Boot asks for a windowsize (RFC 7440), blksize 1468', async () => {
    await uboot.setenv('tftpwindowsize', '8');
    try {
      const got = await tftpboot(uboot, '${loadaddr}', 'chunk-raw.bin');
      expect(got.bytes).toBe(raw.length);
      expect(await crc32At(uboot, '${loadaddr}', raw.length)).toBe(crcHex(raw));
      const started = tftp.events.filter(
        (e) => e.name === 'chunk-raw.bin' && e.status === 'started',
      );
      expect(started.at(-1)?.options).toMatchObject({ blksize: '1468', windowsize: '8' });
    } finally {
      await uboot.setenv('tftpwindowsize', '');
    }
  });

  it('reports the server refusing a name it did not make, as U-Boot saw it', async () => {
    await expect(tftpboot(uboot, '${loadaddr}', 'not-a-job-file.gz', 60_000)).rejects.toThrow(
      /refused not-a-job-file.gz: File not found/,
    );
    expect(tftp.events.some((e) => e.name === 'not-a-job-file.gz' && e.status === 'refused')).toBe(
      true,
    );
  });

  it('says when gzwrite finds the chunk damaged (its CRC check against the gzip trailer)', async () => {
    const gz = gzipSync(image);
    await tftpboot(uboot, '${loadaddr}', 'chunk-0000.gz');
    // Flip a byte of the gzip CRC trailer in U-Boot's RAM: the data inflates, the check fails.
    await uboot.run(`mw.b ${(0x40200000 + gz.length - 8).toString(16)} 0 1`);
    await expect(
      gzwrite(uboot, {
        iface: 'virtio',
        dev: 0,
        address: '${loadaddr}',
        length: gz.length,
        offset: 48 * MiB,
        outputSize: image.length,
      }),
    ).rejects.toThrow(/CRC did not match|gzwrite failed/);
  });

  it('picks TFTP when the laptop answers, and says why it falls back to YMODEM', async () => {
    const net = { gateway_ip: GATEWAY_IP, laptop_ip: LAPTOP_IP, netmask: '255.255.255.0' };
    expect(await probeRecoveryPath(uboot, undefined)).toMatchObject({
      via: 'ymodem',
      gzwrite: true,
    });
    const away = await probeRecoveryPath(uboot, { ...net, laptop_ip: '192.168.7.99' });
    expect(away.via).toBe('ymodem');
    expect(away.reason).toMatch(/no answer from the laptop \(192.168.7.99\)/);
    const ok = await probeRecoveryPath(uboot, net);
    expect(ok).toMatchObject({ via: 'tftp', gzwrite: true });
    expect(ok.reason).toMatch(/gzip-compressed/);
  });

  it('flashes chunk by chunk, each proven, and resumes after a cut from the first unproven chunk', async () => {
    const img = Buffer.concat([randomBytes(5 * MiB), Buffer.alloc(5 * MiB + 1000, 'slot ')]);
    const slotStartBlock = (64 * MiB) / 512; // past what the other tests wrote
    const proven: number[] = [];
    const opts = {
      uboot,
      loader: tftpLoader(uboot, tftp),
      read: (offset: number, length: number) =>
        Promise.resolve(img.subarray(offset, offset + length)),
      size: img.length,
      chunkBytes: 4 * MiB,
      iface: 'virtio',
      dev: 0,
      slotStartBlock,
      loadAddress: '${loadaddr}',
      gzip: true,
      namePrefix: 'job-7f3a',
    };
    // The link is cut after chunk 1 is proven (the journal has 0 and 1).
    await expect(
      flashChunks({
        ...opts,
        onProven: ({ chunk }) => {
          proven.push(chunk);
          if (chunk === 1) throw new Error('link cut');
        },
      }),
    ).rejects.toThrow('link cut');
    expect(diskAt(64 * MiB + 8 * MiB, 4096).equals(Buffer.alloc(4096))).toBe(true); // chunk 2 not written
    const done = await flashChunks({
      ...opts,
      startChunk: 2,
      onProven: ({ chunk }) => void proven.push(chunk),
    });
    expect(proven).toEqual([0, 1, 2]);
    expect(done.chunks).toBe(3);
    expect(done.bytesWritten).toBe(img.length - 8 * MiB);
    expect(done.bytesOnWire).toBeLessThan(done.bytesWritten);
    expect(diskAt(64 * MiB, img.length).equals(img)).toBe(true);
    // Served by made-up names only while needed.
    await expect(tftpboot(uboot, '${loadaddr}', 'job-7f3a-0002.gz', 60_000)).rejects.toThrow(
      /File not found/,
    );
  });

  it('flashes raw chunks with the block command when gzip is not used', async () => {
    const img = randomBytes(MiB + 700);
    const r = await flashChunks({
      uboot,
      loader: tftpLoader(uboot, tftp),
      read: (offset, length) => Promise.resolve(img.subarray(offset, offset + length)),
      size: img.length,
      chunkBytes: MiB,
      iface: 'virtio',
      dev: 0,
      slotStartBlock: (56 * MiB) / 512,
      loadAddress: '${loadaddr}',
      gzip: false,
      namePrefix: 'job-raw',
    });
    expect(r).toEqual({ chunks: 2, bytesOnWire: MiB + 1024, bytesWritten: img.length });
    expect(diskAt(56 * MiB, img.length).equals(img)).toBe(true);
  });

  it('flashes gzip chunks over YMODEM with gzwrite, and resumes after a cut', async () => {
    const img = Buffer.concat([randomBytes(8 * 1024), Buffer.alloc(12 * 1024 + 100, 'console ')]);
    const opts = {
      uboot,
      loader: ymodemLoader(uboot),
      read: (offset: number, length: number) =>
        Promise.resolve(img.subarray(offset, offset + length)),
      size: img.length,
      chunkBytes: 16 * 1024,
      iface: 'virtio',
      dev: 0,
      slotStartBlock: (60 * MiB) / 512,
      loadAddress: '${loadaddr}',
      gzip: true,
      namePrefix: 'job-serial',
    };
    await expect(
      flashChunks({
        ...opts,
        onProven: () => {
          throw new Error('adapter pulled');
        },
      }),
    ).rejects.toThrow('adapter pulled');
    expect(diskAt(60 * MiB, 16 * 1024).equals(img.subarray(0, 16 * 1024))).toBe(true);
    const r = await flashChunks({ ...opts, startChunk: 1 });
    expect(r.bytesWritten).toBe(img.length - 16 * 1024);
    expect(r.bytesOnWire).toBeLessThan(r.bytesWritten);
    expect(diskAt(60 * MiB, img.length).equals(img)).toBe(true);
  });
});
