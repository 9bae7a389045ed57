import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSerial, type SerialLink } from '../../../src/main/core/serial/link';
import { UBootDriver } from '../../../src/main/core/serial/uboot-driver';
import { sendYmodem } from '../../../src/main/core/transports/ymodem';
import { startQemuUboot, type QemuUboot } from '../../helpers/qemu-uboot';

/**
 * The gateway resets in the middle of a command: real U-Boot under QEMU, reset for real
 * through QEMU's monitor (`system_reset`), with QEMU letting the board boot again.
 * Every command is given a timeout far longer than the test's own: the error must come
 * from noticing the restart, not from a timeout.
 */
describe('a gateway that resets in the middle of a command (QEMU U-Boot)', () => {
  let qemu: QemuUboot;
  let link: SerialLink;
  let uboot: UBootDriver;
  beforeAll(async () => {
    qemu = await startQemuUboot({ boot_slot: 'A' }, { reboot: true, monitor: true });
    link = await openSerial(qemu.pty, 115200);
    uboot = new UBootDriver(link);
    await uboot.stopAutoboot(60_000);
  }, 90_000);
  afterAll(async () => {
    await link?.close();
    await qemu?.stop();
  });

  /**
   * Back to the prompt after a reset: let the board boot (bytes that were on the wire when it
   * reset land in the new U-Boot as keys and stop its autoboot), then a Ctrl-C clears the line.
   */
  const backToPrompt = async () => {
    await link.quiet(1500, 60_000);
    const m = link.mark();
    link.write('\x03\r');
    await link.waitFor(/=> $/, m, 10_000, 'U-Boot prompt');
  };

  /** Reset the board once `seen` has arrived since `from`. */
  const resetWhen = async (seen: RegExp, from: number) => {
    await link.waitFor(seen, from, 30_000, 'the command under way');
    await qemu.monitor('system_reset');
  };

  it('run: a reset during `sleep` fails at once, saying the gateway restarted', async () => {
    const from = link.mark();
    const run = uboot.run('sleep 100', 300_000);
    const [result] = await Promise.allSettled([run, resetWhen(/sleep 100\r?\n/, from)]);
    expect(result.status).toBe('rejected');
    const err = (result as PromiseRejectedResult).reason;
    expect(err).toMatchObject({
      code: 'COMMAND_FAILED',
      message: expect.stringMatching(/restarted during "sleep 100".*effect is unknown/),
      details: { command: 'sleep 100', reason: 'gateway_restarted' },
      suggestedActions: expect.arrayContaining([expect.stringMatching(/Detect the console state/)]),
    });
    expect(err.details.output).toMatch(/U-Boot 20\d\d/);
    // The board is back: stop its autoboot and it answers again.
    await backToPrompt();
    expect((await uboot.printenv()).boot_slot).toBe('A');
  }, 90_000);

  it('loady: a reset in the middle of the YMODEM transfer fails the transfer with it', async () => {
    const data = randomBytes(256 * 1024);
    const { received } = await uboot.loady('${loadaddr}');
    let reset: Promise<string> | null = null;
    const send = sendYmodem(link, {
      name: 'chunk.bin',
      data,
      received,
      startTimeoutMs: 20_000,
      // A few blocks in, the power glitches.
      onProgress: (sent) => {
        if (sent >= 16 * 1024 && !reset) reset = qemu.monitor('system_reset');
      },
    });
    await expect(send).rejects.toMatchObject({
      code: 'COMMAND_FAILED',
      message: expect.stringMatching(/restarted during "loady \$\{loadaddr\}"/),
      suggestedActions: expect.arrayContaining([expect.stringMatching(/Load the file again/)]),
    });
    expect(reset).not.toBeNull();
    await reset;
    await backToPrompt();
    expect((await uboot.run('echo back')).output).toBe('back');
  }, 120_000);

  it('loady waiting for its sender: the wait for its prompt fails on the reset', async () => {
    const { from } = await uboot.loady('${loadaddr}');
    const prompt = link.waitFor(/=> $/, from, 300_000, 'prompt after loady');
    await qemu.monitor('system_reset');
    await expect(prompt).rejects.toMatchObject({
      code: 'COMMAND_FAILED',
      message: expect.stringMatching(/restarted during "loady/),
    });
    await backToPrompt();
    expect(await uboot.detect(800)).toBe('uboot');
  }, 90_000);
});
