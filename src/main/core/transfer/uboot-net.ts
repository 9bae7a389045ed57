import { RiggerError } from '../../../shared/errors';
import type { UBootDriver } from '../serial/uboot-driver';

/** The profile's `console.net` (GATEWAY-CONTRACT.md section 5). */
export interface UBootNetAddresses {
  gateway_ip: string;
  laptop_ip: string;
  netmask: string;
}

const hex = (n: number) => n.toString(16);
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function failed(command: string, output: string, why: string, actions: string[] = []): RiggerError {
  return new RiggerError('COMMAND_FAILED', `U-Boot: ${why}`, { command, output }, actions);
}

/**
 * Address the board from U-Boot, in RAM only (never `saveenv`): `ipaddr`, `serverip`,
 * `netmask`, the TFTP block size (1468 fits a 1500-byte Ethernet frame) and `netretry no`, so a
 * dead link ends `tftpboot` with an error instead of retrying for ever. With `port`, `tftpdstp`
 * too: the laptop's TFTP server need not hold the privileged port 69 (U-Boot honours it when
 * built with CONFIG_TFTP_PORT, and always from 2026.01 on).
 */
export async function setNetAddresses(
  uboot: UBootDriver,
  net: UBootNetAddresses,
  opts: { blockSize?: number; windowSize?: number; port?: number } = {},
): Promise<void> {
  for (const ip of [net.gateway_ip, net.laptop_ip, net.netmask]) {
    const m = IPV4.exec(ip);
    if (!m || m.slice(1).some((o) => Number(o) > 255)) {
      throw new RiggerError('PROFILE_INVALID', `Not an IPv4 address in console.net: ${ip}`, { ip });
    }
  }
  await uboot.setenv('ipaddr', net.gateway_ip);
  await uboot.setenv('serverip', net.laptop_ip);
  await uboot.setenv('netmask', net.netmask);
  await uboot.setenv('netretry', 'no');
  await uboot.setenv('tftpblocksize', String(opts.blockSize ?? 1468));
  if (opts.windowSize) await uboot.setenv('tftpwindowsize', String(opts.windowSize));
  if (opts.port !== undefined) await setTftpPort(uboot, opts.port);
}

/** `tftpdstp` in RAM: the UDP port `tftpboot` asks (69 when unset). */
export async function setTftpPort(uboot: UBootDriver, port: number): Promise<void> {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new RiggerError('VALIDATION_ERROR', `Not a UDP port: ${port}`, { port });
  }
  await uboot.setenv('tftpdstp', String(port));
}

/** Whether U-Boot has `command` (its `help` does not say "Unknown command"). */
export async function hasCommand(uboot: UBootDriver, command: string): Promise<boolean> {
  if (!/^[a-z0-9_.]+$/.test(command)) return false;
  const r = await uboot.run(`help ${command}`);
  return !/Unknown command/i.test(r.output) && r.output.trim() !== '';
}

/** `tftpboot ADDRESS NAME`: the bytes that arrived, or why none did. */
export async function tftpboot(
  uboot: UBootDriver,
  address: string,
  name: string,
  timeoutMs = 300_000,
): Promise<{ bytes: number }> {
  const command = `tftpboot ${address} ${name}`;
  const r = await uboot.run(command, timeoutMs);
  const m = /Bytes transferred = (\d+)/.exec(r.output);
  if (m && !/TFTP error/.test(r.output)) return { bytes: Number(m[1]) };
  const tftpError = /TFTP error: '?([^'\n]*)'?/.exec(r.output)?.[1];
  const why = tftpError
    ? `the laptop's TFTP server refused ${name}: ${tftpError}`
    : /Retry count exceeded|ARP Retry|Timeout/i.test(r.output)
      ? 'no answer from the laptop over the network (no link, or wrong addresses)'
      : /Unknown command/.test(r.output)
        ? 'this U-Boot has no tftpboot'
        : `tftpboot ended without a transfer: ${r.output.trim().split('\n').slice(-1)[0] ?? ''}`;
  throw failed(command, r.output, why, [
    'Check the cable between the laptop and the gateway, and the addresses in console.net',
    'Flash over the serial console (YMODEM) instead',
  ]);
}

/**
 * The write buffer `gzwrite` gets: 1 MiB unless the output is a whole number of buffers, when
 * a slightly smaller one (whole blocks) is taken. Measured on U-Boot 2023.01: when the output
 * ends exactly on a buffer, its last write is of zero blocks and the virtio driver never returns.
 */
export function gzwriteBuffer(outputSize: number, blockSize = 512): number {
  for (let buf = 0x100000; buf >= blockSize * 16; buf -= blockSize) {
    if (outputSize % buf !== 0) return buf;
  }
  return 0x100000 - blockSize;
}

export interface GzwriteArgs {
  iface: string;
  dev: number;
  address: string;
  /** Compressed bytes at `address`. */
  length: number;
  /** Byte offset on the device (a whole block). */
  offset: number;
  /** Uncompressed size: U-Boot checks it and the gzip CRC against what it wrote. */
  outputSize: number;
  blockSize?: number;
}

/** `gzwrite`: decompress the gzip at `address` onto the device; U-Boot's size and CRC checked. */
export async function gzwrite(
  uboot: UBootDriver,
  a: GzwriteArgs,
  timeoutMs = 300_000,
): Promise<{ bytes: number; crc: string }> {
  const wbuf = gzwriteBuffer(a.outputSize, a.blockSize);
  const command = `gzwrite ${a.iface} ${a.dev} ${a.address} ${hex(a.length)} ${hex(wbuf)} ${hex(a.offset)} ${hex(a.outputSize)}`;
  const r = await uboot.run(command, timeoutMs);
  const ok = /(?:^|\s)(\d+) bytes, crc 0x([0-9a-f]{8})/.exec(r.output);
  if (ok && !r.failed && Number(ok[1]) === a.outputSize) {
    return { bytes: Number(ok[1]), crc: ok[2]! };
  }
  const partial = /uncompressed (\d+) of (\d+)/.exec(r.output);
  throw failed(
    command,
    r.output,
    partial
      ? `gzwrite wrote ${partial[1]} of ${partial[2]} bytes and its CRC did not match: the chunk arrived damaged`
      : `gzwrite failed: ${r.output.trim().split('\n').slice(-1)[0] ?? ''}`,
    ['Send the chunk again: the slot is not bootable until every chunk is proven'],
  );
}

/** `<iface> write ADDRESS START COUNT` (blocks). */
export async function blockWrite(
  uboot: UBootDriver,
  iface: string,
  address: string,
  startBlock: number,
  count: number,
): Promise<void> {
  const command = `${iface} write ${address} ${hex(startBlock)} ${hex(count)}`;
  const r = await uboot.run(command, 300_000);
  if (r.failed || !new RegExp(`${count} blocks written: OK`).test(r.output)) {
    throw failed(command, r.output, `the block write failed: ${r.output.trim()}`);
  }
}

/** `crc32 ADDRESS LENGTH`, as 8 hex digits. */
export async function crc32At(
  uboot: UBootDriver,
  address: string,
  length: number,
): Promise<string> {
  const command = `crc32 ${address} ${hex(length)}`;
  const r = await uboot.run(command, 120_000);
  const m = /==> ([0-9a-f]{8})/.exec(r.output);
  if (!m) throw failed(command, r.output, `crc32 gave no checksum: ${r.output.trim()}`);
  return m[1]!;
}

/**
 * Read `length` bytes back from the device at `startBlock` into RAM and return their crc32:
 * the proof that the storage holds what was sent, not only that it arrived.
 */
export async function readBackCrc(
  uboot: UBootDriver,
  a: { iface: string; address: string; startBlock: number; length: number; blockSize?: number },
): Promise<string> {
  const count = Math.ceil(a.length / (a.blockSize ?? 512));
  const command = `${a.iface} read ${a.address} ${hex(a.startBlock)} ${hex(count)}`;
  const r = await uboot.run(command, 300_000);
  if (r.failed || !new RegExp(`${count} blocks read: OK`).test(r.output)) {
    throw failed(command, r.output, `reading back failed: ${r.output.trim()}`);
  }
  return crc32At(uboot, a.address, a.length);
}
