import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { needsMachineAlone } from './lane';
import type { TftpTransferEvent } from '../../src/main/core/transfer/tftp-server';
import type { ChunkServer } from '../../src/main/core/transfer/uboot-recovery';

/** The addresses of TESTING.md's recipe: the laptop on the tap, U-Boot behind it. */
export const LAPTOP_IP = '192.168.7.1';
export const GATEWAY_IP = '192.168.7.2';

export interface NsTftp extends ChunkServer {
  port: number;
  events: TftpTransferEvent[];
  stop(): Promise<void>;
}

export interface UbootNet {
  /** The network namespace holding the tap, QEMU and the TFTP server. */
  ns: string;
  pty: string;
  disk: string;
  dir: string;
  /** Start Rigger's TFTP server in the namespace on the laptop's address, serving `files`. */
  startTftp(
    files: Record<string, string>,
    opts?: { windowsize?: number; port?: number },
  ): Promise<NsTftp>;
  stop(): Promise<void>;
}

const UBOOT = '/usr/lib/u-boot/qemu_arm64/u-boot.bin';
const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });

/**
 * Real U-Boot (arm64, which has gzwrite) under QEMU with a virtio NIC on a tap device in a
 * network namespace made for it (TESTING.md: QEMU's user network answers TFTP itself), a
 * virtio disk of `diskMiB`, the console on a pty. Needs root (ip netns).
 */
export async function startUbootNet(
  opts: { diskMiB?: number; memMiB?: number; env?: Record<string, string> } = {},
): Promise<UbootNet> {
  needsMachineAlone('QEMU');
  const dir = mkdtempSync(join(tmpdir(), 'rigger-ubootnet-'));
  const p = (n: string) => join(dir, n);
  const ns = `rg-${process.pid}-${randomBytes(3).toString('hex')}`;
  ip('netns', 'add', ns);
  const children: ChildProcess[] = [];
  const cleanup = () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    try {
      ip('netns', 'del', ns);
    } catch {
      // already gone
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    ip('netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up');
    ip('netns', 'exec', ns, 'ip', 'tuntap', 'add', 'dev', 'tap0', 'mode', 'tap');
    ip('netns', 'exec', ns, 'ip', 'addr', 'add', `${LAPTOP_IP}/24`, 'dev', 'tap0');
    ip('netns', 'exec', ns, 'ip', 'link', 'set', 'tap0', 'up');
    execFileSync('truncate', ['-s', '64M', p('flash0.img'), p('flash1.img')]);
    execFileSync('truncate', ['-s', `${opts.diskMiB ?? 64}M`, p('disk.img')]);
    execFileSync('dd', [`if=${UBOOT}`, `of=${p('flash0.img')}`, 'conv=notrunc', 'status=none']);
    // Preloaded: saveenv fails on this emulation's pflash (as qemu-uboot.ts says).
    const extra = Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${v}\n`);
    writeFileSync(
      p('env.txt'),
      'bootdelay=5\nbootcmd=echo no kernel on this test board\nloadaddr=0x40200000\n' +
        extra.join(''),
    );
    execFileSync('mkenvimage', ['-s', '0x40000', '-o', p('env.bin'), p('env.txt')]);
    execFileSync('dd', [
      `if=${p('env.bin')}`,
      `of=${p('flash1.img')}`,
      'conv=notrunc',
      'status=none',
    ]);
    // `ip netns exec` execs QEMU, so its pid is QEMU's.
    const qemu = spawn(
      'ip',
      [
        ...['netns', 'exec', ns, 'qemu-system-aarch64'],
        ...['-M', 'virt', '-cpu', 'cortex-a57', '-m', String(opts.memMiB ?? 256)],
        ...['-display', 'none', '-monitor', 'none', '-no-reboot'],
        ...['-netdev', 'tap,id=n0,ifname=tap0,script=no,downscript=no'],
        ...['-device', 'virtio-net-device,netdev=n0'],
        ...['-drive', `if=pflash,format=raw,file=${p('flash0.img')}`],
        ...['-drive', `if=pflash,format=raw,file=${p('flash1.img')}`],
        ...['-drive', `if=none,file=${p('disk.img')},format=raw,id=d0`],
        ...['-device', 'virtio-blk-device,drive=d0', '-serial', 'pty'],
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.push(qemu);
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
      qemu.stdout!.on('data', onData);
      qemu.stderr!.on('data', onData);
      qemu.once('exit', (code) => reject(new Error(`qemu exited (${code}): ${out}`)));
    });
    return {
      ns,
      pty,
      disk: p('disk.img'),
      dir,
      startTftp: (files, o = {}) => startNsTftp(ns, dir, files, o, children),
      stop: async () => {
        const exited = children.map(
          (c) =>
            new Promise<void>((r) =>
              c.exitCode !== null || c.signalCode !== null ? r() : c.once('exit', () => r()),
            ),
        );
        for (const c of children)
          if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
        await Promise.all(exited);
        cleanup();
      },
    };
  } catch (err) {
    cleanup();
    throw err;
  }
}

/** Rigger's TFTP server as a child process in the namespace (see uboot-net-tftp.ts). */
async function startNsTftp(
  ns: string,
  dir: string,
  files: Record<string, string>,
  o: { windowsize?: number; port?: number },
  children: ChildProcess[],
): Promise<NsTftp> {
  const script = join(__dirname, 'uboot-net-tftp.ts');
  const cfg = JSON.stringify({
    address: LAPTOP_IP,
    port: o.port ?? 69,
    windowsize: o.windowsize,
    files,
  });
  const child = spawn(
    'ip',
    ['netns', 'exec', ns, process.execPath, '--import', 'tsx', script, cfg],
    {
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  const events: TftpTransferEvent[] = [];
  const acks: Array<{ line: string; done: () => void }> = [];
  const port = await new Promise<number>((resolve, reject) => {
    let buf = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`TFTP server did not start: ${err}`)), 30_000);
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const ready = /^ready (\d+)$/.exec(line);
        if (ready) {
          clearTimeout(timer);
          resolve(Number(ready[1]));
        } else if (line.startsWith('{')) events.push(JSON.parse(line) as TftpTransferEvent);
        else {
          const at = acks.findIndex((a) => a.line === line);
          if (at >= 0) acks.splice(at, 1)[0]!.done();
        }
      }
    });
    child.once('exit', (code) => reject(new Error(`TFTP server exited (${code}): ${err}`)));
  });
  const command = (line: string, answer: string) =>
    new Promise<void>((resolve) => {
      acks.push({ line: answer, done: resolve });
      child.stdin!.write(`${line}\n`);
    });
  return {
    port,
    events,
    // Files in memory are written beside the board's disk: the server runs in another process.
    register: (name, file) => {
      const path = 'path' in file ? file.path : join(dir, name);
      if ('data' in file) writeFileSync(path, file.data);
      return command(`register ${name} ${path}`, `registered ${name}`);
    },
    unregister: (name) => command(`unregister ${name}`, `unregistered ${name}`),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
