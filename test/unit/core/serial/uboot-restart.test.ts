import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { SerialLink, type RawPort } from '../../../../src/main/core/serial/link';
import { showsRestart, UBootDriver } from '../../../../src/main/core/serial/uboot-driver';

/** Recorded from Debian's U-Boot 2023.01 under QEMU: `sleep 10`, then a system_reset. */
const RESET_DURING_SLEEP =
  'sleep 10\r\n\r\n\r\nU-Boot 2023.01+dfsg-2+deb12u3 (Jun 22 2026 - 08:38:07 +0000)\r\n\r\n' +
  'DRAM:  256 MiB\r\nCore:  47 devices, 13 uclasses, devicetree: board\r\nFlash: 64 MiB\r\n' +
  'Loading Environment from Flash... OK\r\nIn:    pl011@9000000\r\nNet:   No ethernet found.\r\n' +
  'Hit any key to stop autoboot:  5 \b\b\b 4 ';
/** The same U-Boot's answer to `version`: its banner text, but no restart. */
const VERSION =
  'version\r\nU-Boot 2023.01+dfsg-2+deb12u3 (Jun 22 2026 - 08:38:07 +0000)\r\n\r\n' +
  'aarch64-linux-gnu-gcc (Debian 12.2.0-14) 12.2.0\r\nGNU ld (GNU Binutils for Debian) 2.40\r\n=> ';

/** A port whose far end the test plays: what the driver writes is recorded. */
function fakePort() {
  const ee = new EventEmitter();
  const written: string[] = [];
  const port = Object.assign(ee, {
    write: (d: Buffer | string) => void written.push(d.toString()),
    close: (cb?: () => void) => cb?.(),
  }) as unknown as RawPort;
  const send = (text: string) => ee.emit('data', Buffer.from(text, 'latin1'));
  return { port, written, send };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('a U-Boot restart in the middle of a command', () => {
  it('recognises the boot banner, an SPL banner and "resetting ...", not `version`', () => {
    expect(showsRestart(RESET_DURING_SLEEP)).toBe(true);
    expect(
      showsRestart('saveenv\r\nSaving Environment to MMC... \x00\xff\r\nU-Boot SPL 2021.04'),
    ).toBe(true);
    expect(showsRestart('reset\r\nresetting ...\r\n')).toBe(true);
    expect(showsRestart(VERSION)).toBe(false);
    expect(showsRestart('printenv\r\nver=U-Boot 2023.01 (Jun 22 2026)\r\n=> ')).toBe(false);
  });

  it('run fails at once, naming the command, when the banner comes before the prompt', async () => {
    const { port, send } = fakePort();
    const uboot = new UBootDriver(new SerialLink(port, '/dev/ttyUSB0'));
    const r = uboot.run('saveenv', 60_000);
    await tick();
    send('saveenv\r\nSaving Environment to Flash... ');
    send('\r\n\r\nU-Boot 2023.01 (Jun 22 2026)\r\n\r\nDRAM:  256 MiB\r\n');
    const err = await r.catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'COMMAND_FAILED',
      message: expect.stringMatching(/restarted during "saveenv".*effect is unknown/),
      details: { command: 'saveenv', reason: 'gateway_restarted' },
      suggestedActions: expect.arrayContaining([expect.stringMatching(/printenv/)]),
    });
  });

  it('the next boot prompt is not taken for the answer (banner split across chunks)', async () => {
    const { port, send } = fakePort();
    const uboot = new UBootDriver(new SerialLink(port, '/dev/ttyUSB0'));
    const r = uboot.run('printenv', 60_000);
    await tick();
    send('printenv\r\nbaudrate=115200\r\n\r');
    send('\nU-Boo');
    send('t 2023.01 (Jun 22 2026)\r\n\r\nHit any key to stop autoboot:  0 \r\n=> ');
    await expect(r).rejects.toMatchObject({ message: expect.stringMatching(/"printenv"/) });
  });

  it('a command whose prompt came back is unaffected, and `version` is no restart', async () => {
    const { port, send } = fakePort();
    const uboot = new UBootDriver(new SerialLink(port, '/dev/ttyUSB0'));
    const r = uboot.run('version');
    await tick();
    send(VERSION);
    expect((await r).output).toMatch(/^U-Boot 2023\.01/);
    const r2 = uboot.run('echo hi');
    await tick();
    send('echo hi\r\nhi\r\n=> ');
    expect((await r2).output).toBe('hi');
  });

  it("loady: a restart during the transfer fails the sender's next write and the wait after it", async () => {
    const { port, send, written } = fakePort();
    const link = new SerialLink(port, '/dev/ttyUSB0');
    const uboot = new UBootDriver(link);
    const l = uboot.loady('${loadaddr}');
    await tick();
    send(
      'loady ${loadaddr}\r\n## Ready for binary (ymodem) download to 0x40200000 at 115200 bps...\r\nC',
    );
    await l;
    link.write(Buffer.from([0x01])); // a YMODEM block, say
    send('\r\n\r\nU-Boot 2023.01 (Jun 22 2026)\r\n');
    expect(() => link.write(Buffer.from([0x02]))).toThrow(
      /restarted during "loady \$\{loadaddr\}"/,
    );
    expect(written).toHaveLength(2);
    // The guard is spent once delivered: the console can be typed into again.
    await tick();
    expect(() => link.write('\r')).not.toThrow();
    // A wait that was pending when the board restarted fails with it too.
    const l2 = uboot.loady('${loadaddr}');
    await tick();
    send(
      'loady ${loadaddr}\r\n## Ready for binary (ymodem) download to 0x40200000 at 115200 bps...\r\n',
    );
    const second = await l2;
    const prompt = link.waitFor(/=> $/, second.from, 60_000, 'prompt after loady');
    send('\r\n\r\nU-Boot 2023.01 (Jun 22 2026)\r\n\r\nHit any key to stop autoboot:  0 \r\n=> ');
    await expect(prompt).rejects.toMatchObject({ code: 'COMMAND_FAILED' });
  });

  it('loady that ended at its prompt leaves no guard behind: a later reset is no error', async () => {
    const { port, send } = fakePort();
    const link = new SerialLink(port, '/dev/ttyUSB0');
    const uboot = new UBootDriver(link);
    const l = uboot.loady('0x40200000');
    await tick();
    send(
      'loady 0x40200000\r\n## Ready for binary (ymodem) download to 0x40200000 at 115200 bps...\r\n',
    );
    await l;
    send('\r\n## Total Size      = 0x00040000 = 262144 Bytes\r\n=> ');
    send('reset\r\nresetting ...\r\n\r\n\r\nU-Boot 2023.01 (Jun 22 2026)\r\n');
    expect(() => link.write(' ')).not.toThrow();
  });
});
