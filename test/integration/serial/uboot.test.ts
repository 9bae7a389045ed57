import { randomBytes } from 'node:crypto';
import { openSync, readSync, closeSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSerial, type SerialLink } from '../../../src/main/core/serial/link';
import { UBootDriver } from '../../../src/main/core/serial/uboot-driver';
import { sendYmodem } from '../../../src/main/core/transports/ymodem';
import { startQemuUboot, type QemuUboot } from '../../helpers/qemu-uboot';

/** Real U-Boot under QEMU, at the other end of a pty opened with serialport. */
describe('U-Boot at the serial console (QEMU)', () => {
  let qemu: QemuUboot;
  let link: SerialLink;
  let uboot: UBootDriver;
  beforeAll(async () => {
    qemu = await startQemuUboot({
      boot_slot: 'A',
      upgrade_available: '0',
      bootcount: '0',
      bootlimit: '3',
    });
    link = await openSerial(qemu.pty, 115200);
    uboot = new UBootDriver(link);
  }, 60_000);
  afterAll(async () => {
    await link?.close();
    await qemu?.stop();
  });

  it('sees the autoboot countdown and stops it at the prompt', async () => {
    await uboot.stopAutoboot(30_000);
    expect(link.since(0)).toMatch(/Hit any key to stop autoboot/);
    expect(await uboot.detect(800)).toBe('uboot');
  }, 60_000);

  it('parses printenv, with the preloaded environment', async () => {
    const env = await uboot.printenv();
    expect(env).toMatchObject({ boot_slot: 'A', upgrade_available: '0', bootlimit: '3' });
  });

  it('setenv then printenv shows it; an unknown command is a failure', async () => {
    await uboot.setenv('boot_slot', 'B');
    expect((await uboot.printenv()).boot_slot).toBe('B');
    const r = await uboot.run('frobnicate');
    expect(r.failed).toBe(true);
  });

  it("reports saveenv's real failure under this QEMU as an error, never a success", async () => {
    await expect(uboot.saveenv()).rejects.toMatchObject({
      code: 'COMMAND_FAILED',
      message: expect.stringMatching(/could not save its environment/),
    });
  }, 60_000);

  it('YMODEM into loady: 256 KiB arrive with a matching crc32', async () => {
    const data = randomBytes(256 * 1024);
    const from = link.mark();
    link.write('loady ${loadaddr}\r');
    await link.waitFor(/Ready for binary \(ymodem\) download/, from, 10_000, 'loady');
    await sendYmodem(link, { name: 'chunk.bin', data, startTimeoutMs: 20_000 });
    await link.waitFor(/=> $/, from, 30_000, 'prompt after loady');
    const r = await uboot.run('crc32 ${loadaddr} ${filesize}');
    const want = crc32(data).toString(16).padStart(8, '0');
    expect(r.output).toMatch(new RegExp(`==> ${want}`));
  }, 180_000);

  it("YMODEM: a block U-Boot receives damaged is sent again at its 'C', once, and the file arrives whole", async () => {
    const data = randomBytes(16 * 1024);
    const { received, from } = await uboot.loady('${loadaddr}');
    let block3 = 0;
    // The link between Rigger and U-Boot flips a byte in block 3 the first time it goes.
    const faulty = {
      write: (b: Buffer) => {
        if (b.length === 1029 && b[1] === 3 && block3++ === 0) {
          const bad = Buffer.from(b);
          bad[500] = bad[500]! ^ 0xff;
          return link.write(bad);
        }
        return link.write(b);
      },
      on: (e: 'data', l: (c: Buffer) => void) => link.on(e, l),
      off: (e: 'data', l: (c: Buffer) => void) => link.off(e, l),
    };
    await sendYmodem(faulty, { name: 'chunk.bin', data, received, headerGraceMs: 0 });
    await link.waitFor(/=> $/, from, 30_000, 'prompt after loady');
    // U-Boot's NAK is a 'C': taken at once, block 3 goes twice, not three times after timeouts.
    expect(block3).toBe(2);
    const r = await uboot.run(`crc32 \${loadaddr} ${data.length.toString(16)}`);
    expect(r.output).toMatch(new RegExp(`==> ${crc32(data).toString(16).padStart(8, '0')}`));
  }, 120_000);

  it('a chunk written with virtio write lands on the disk at the slot offset', async () => {
    const data = randomBytes(64 * 1024);
    const from = link.mark();
    link.write('loady ${loadaddr}\r');
    await link.waitFor(/Ready for binary \(ymodem\) download/, from, 10_000, 'loady');
    await sendYmodem(link, { name: 'slot.bin', data, startTimeoutMs: 20_000 });
    await link.waitFor(/=> $/, from, 30_000, 'prompt after loady');
    expect((await uboot.run('virtio scan')).failed).toBe(false);
    const start = 2048; // blocks of 512: 1 MiB into the disk
    const w = await uboot.run(
      `virtio write \${loadaddr} ${start.toString(16)} ${(data.length / 512).toString(16)}`,
    );
    expect(w.failed, w.output).toBe(false);
    const fd = openSync(qemu.disk, 'r');
    const back = Buffer.alloc(data.length);
    readSync(fd, back, 0, data.length, start * 512);
    closeSync(fd);
    expect(back.equals(data)).toBe(true);
  }, 120_000);
});
