import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { needsMachineAlone } from './lane';

export interface QemuUboot {
  /** The console: a pty, opened with serialport exactly as a USB adapter. */
  pty: string;
  /** The board's virtio "eMMC". */
  disk: string;
  dir: string;
  /**
   * Send one command to QEMU's human monitor (e.g. `system_reset`, a real reset of the
   * board) and resolve with its answer. Only with `{ monitor: true }`.
   */
  monitor(command: string): Promise<string>;
  stop(): Promise<void>;
}

export interface QemuUbootOptions {
  /**
   * Let the board restart (no `-no-reboot`): a reset at U-Boot's prompt boots U-Boot again
   * instead of ending QEMU. Default false.
   */
  reboot?: boolean;
  /** Open QEMU's monitor on a unix socket for `monitor()`. Default false (`-monitor none`). */
  monitor?: boolean;
}

const UBOOT = '/usr/lib/u-boot/qemu_arm64/u-boot.bin';

/**
 * Real U-Boot (Debian's u-boot-qemu) on an emulated arm64 board (TESTING.md): U-Boot in
 * pflash 0, a preloaded environment in pflash 1 (saveenv fails on this emulation, as on a
 * board with a failing flash), a 64 MiB virtio disk, the console on a pty.
 */
export async function startQemuUboot(
  env: Record<string, string> = {},
  opts: QemuUbootOptions = {},
): Promise<QemuUboot> {
  needsMachineAlone('QEMU');
  const dir = mkdtempSync(join(tmpdir(), 'rigger-qemu-'));
  const p = (n: string) => join(dir, n);
  execFileSync('truncate', ['-s', '64M', p('flash0.img'), p('flash1.img'), p('disk.img')]);
  execFileSync('dd', [`if=${UBOOT}`, `of=${p('flash0.img')}`, 'conv=notrunc', 'status=none']);
  writeFileSync(
    p('env.txt'),
    // A bootcmd makes U-Boot count down before it boots, as a gateway's does.
    Object.entries({
      bootdelay: '5',
      bootcmd: 'echo no kernel on this test board',
      loadaddr: '0x40200000',
      ...env,
    })
      .map(([k, v]) => `${k}=${v}`)
      .join('\n') + '\n',
  );
  execFileSync('mkenvimage', ['-s', '0x40000', '-o', p('env.bin'), p('env.txt')]);
  execFileSync('dd', [
    `if=${p('env.bin')}`,
    `of=${p('flash1.img')}`,
    'conv=notrunc',
    'status=none',
  ]);
  const proc: ChildProcess = spawn(
    'qemu-system-aarch64',
    [
      ...['-M', 'virt', '-cpu', 'cortex-a57', '-m', '256', '-display', 'none'],
      ...['-monitor', opts.monitor ? `unix:${p('monitor.sock')},server,nowait` : 'none'],
      ...(opts.reboot ? [] : ['-no-reboot']),
      ...['-nic', 'none'],
      ...['-drive', `if=pflash,format=raw,file=${p('flash0.img')}`],
      ...['-drive', `if=pflash,format=raw,file=${p('flash1.img')}`],
      ...['-drive', `if=none,file=${p('disk.img')},format=raw,id=d0`],
      ...['-device', 'virtio-blk-device,drive=d0', '-serial', 'pty'],
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const pty = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`qemu gave no pty: ${out}`)), 20_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /char device redirected to (\/dev\/pts\/\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.once('exit', (code) => reject(new Error(`qemu exited (${code}): ${out}`)));
  });
  return {
    pty,
    disk: p('disk.img'),
    dir,
    monitor: (command) => {
      if (!opts.monitor) return Promise.reject(new Error('started without { monitor: true }'));
      return qemuMonitor(p('monitor.sock'), command);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        };
        if (proc.exitCode !== null || proc.signalCode !== null) return done();
        proc.once('exit', done);
        proc.kill('SIGKILL');
      }),
  };
}

/** One command on QEMU's human monitor socket: wait for its `(qemu)` prompt, send, read the answer. */
function qemuMonitor(socket: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = createConnection(socket);
    let out = '';
    let sent = false;
    const timer = setTimeout(() => {
      c.destroy();
      reject(new Error(`QEMU monitor did not answer "${command}": ${out}`));
    }, 10_000);
    c.on('data', (d) => {
      out += d.toString('latin1');
      const prompts = out.split('(qemu)').length - 1;
      if (!sent && prompts >= 1) {
        sent = true;
        c.write(`${command}\n`);
      } else if (sent && prompts >= 2) {
        clearTimeout(timer);
        c.end();
        resolve(out.slice(out.indexOf('(qemu)') + 6, out.lastIndexOf('(qemu)')));
      }
    });
    c.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}
