import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { SerialLink, type RawPort } from '../../../../src/main/core/serial/link';
import { UBootDriver } from '../../../../src/main/core/serial/uboot-driver';

/** A port whose far end the test plays (U-Boot's text as Debian's 2023.01 prints it). */
function fakePort() {
  const ee = new EventEmitter();
  const port = Object.assign(ee, {
    write: () => true,
    close: (cb?: () => void) => cb?.(),
  }) as unknown as RawPort;
  const send = (text: string) => ee.emit('data', Buffer.from(text, 'latin1'));
  return { port, send };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

describe("U-Boot's answer to a command", () => {
  it('is what follows the echo: a stray prompt before it is not the end of the command', async () => {
    const { port, send } = fakePort();
    const uboot = new UBootDriver(new SerialLink(port, '/dev/ttyUSB0'));
    const r = uboot.run('crc32 ${loadaddr} 1000');
    await tick();
    // A key that reached the prompt after a transfer: U-Boot answers it with a fresh prompt.
    send('\r\n=> ');
    await tick();
    send('crc32 ${loadaddr} 1000\r\ncrc32 for 40200000 ... 40200fff ==> 0e05539d\r\n=> ');
    const out = await r;
    expect(out.output).toBe('crc32 for 40200000 ... 40200fff ==> 0e05539d');
    expect(out.failed).toBe(false);
  });

  it('of a command that prints nothing is empty, and a failure is seen after stray prompts', async () => {
    const { port, send } = fakePort();
    const uboot = new UBootDriver(new SerialLink(port, '/dev/ttyUSB0'));
    const r = uboot.run('setenv netretry no');
    await tick();
    send('setenv netretry no\r\n=> ');
    expect(await r).toEqual({ output: '', failed: false });
    const bad = uboot.run('virtio write ${loadaddr} 800 400');
    await tick();
    send('\r\n=> \r\n=> virtio write ${loadaddr} 800 400\r\n');
    send('\r\nvirtio write: device 0 block # 2048, count 1024 ... 0 blocks written: ERROR\r\n=> ');
    expect(await bad).toMatchObject({ failed: true });
  });
});
