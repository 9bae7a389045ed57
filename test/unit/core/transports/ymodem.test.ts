import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeSync,
  closeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReadStream } from 'node:tty';
import { afterEach, describe, expect, it } from 'vitest';
import { crc16, sendYmodem, type ByteStream } from '../../../../src/main/core/transports/ymodem';

const children: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(() => {
  for (const c of children.splice(0)) if (c.pid && c.exitCode === null) process.kill(c.pid);
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function waitFor(path: string): Promise<void> {
  for (let i = 0; i < 100 && !existsSync(path); i++) await new Promise((r) => setTimeout(r, 50));
}

/** `rz` on the far side of a socat pty; returns our end as a ByteStream. */
async function startRz(
  dir: string,
): Promise<{ stream: ByteStream; done: Promise<number | null>; close: () => void }> {
  const link = join(dir, 'pty');
  const socat = spawn(
    'socat',
    [`PTY,link=${link},raw,echo=0`, `EXEC:rz --ymodem -y,pty,raw,echo=0`],
    {
      cwd: dir,
      stdio: 'ignore',
    },
  );
  children.push(socat);
  await waitFor(link);
  const fd = openSync(link, 'r+');
  const input = new ReadStream(fd);
  input.setRawMode(true);
  let exited = false;
  socat.on('exit', () => (exited = true));
  const stream: ByteStream = {
    // Once rz has finished and socat closed the pty, a late write (the sender's closing bytes
    // racing rz's exit) fails with EIO: that is the link going away after success, not a fault.
    write: (b: Buffer) => {
      try {
        return writeSync(fd, b);
      } catch (err) {
        if (exited || (err as NodeJS.ErrnoException).code === 'EIO') return 0;
        throw err;
      }
    },
    on: (e, l) => input.on(e, l),
    off: (e, l) => input.off(e, l),
  };
  const done = new Promise<number | null>((r) => socat.on('exit', r));
  return {
    stream,
    done,
    close: () => {
      input.destroy();
      try {
        closeSync(fd);
      } catch {
        /* already closed by destroy */
      }
    },
  };
}

describe('YMODEM-1K sender', () => {
  it('computes CRC-16/XMODEM', () => {
    expect(crc16(Buffer.from('123456789'))).toBe(0x31c3);
  });

  it('sends a 300 KiB file that rz (lrzsz) receives identical', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ymodem-'));
    dirs.push(dir);
    const data = randomBytes(300 * 1024 + 77);
    const rz = await startRz(dir);
    let last = 0;
    await sendYmodem(rz.stream, { name: 'image.bin', data, onProgress: (s) => (last = s) });
    await rz.done;
    rz.close();
    expect(last).toBe(data.length);
    expect(readFileSync(join(dir, 'image.bin')).equals(data)).toBe(true);
  }, 30_000);

  it('retries a corrupted and a dropped block through a faulty link; rz still gets the file identical', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ymodem-'));
    dirs.push(dir);
    const data = randomBytes(256 * 1024);
    const rz = await startRz(dir);
    // The link between us and rz: the 5th write arrives with one byte flipped, the 9th never arrives.
    let writes = 0;
    const faulty: ByteStream = {
      write: (b: Buffer) => {
        writes++;
        if (writes === 9) return true;
        if (writes === 5) {
          const bad = Buffer.from(b);
          bad[100] = bad[100]! ^ 0xff;
          return rz.stream.write(bad);
        }
        return rz.stream.write(b);
      },
      on: (e, l) => rz.stream.on(e, l),
      off: (e, l) => rz.stream.off(e, l),
    };
    await sendYmodem(faulty, { name: 'image.bin', data, blockTimeoutMs: 2000 });
    await rz.done;
    rz.close();
    expect(readFileSync(join(dir, 'image.bin')).equals(data)).toBe(true);
  }, 60_000);
});
