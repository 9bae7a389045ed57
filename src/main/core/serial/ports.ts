import { existsSync, readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { SerialPortInfo } from '../../../shared/serial';
import { loadSerialPort } from '../util/native';
import { adapterName, normalizePortPath } from './adapters';

/** What the serial library lists (its own shape), when it can. */
export interface LibraryPort {
  path: string;
  manufacturer?: string;
  serialNumber?: string;
  vendorId?: string;
  productId?: string;
}

const read = (p: string) => {
  try {
    return readFileSync(p, 'utf8').trim();
  } catch {
    return null;
  }
};

/**
 * Serial ports from sysfs alone (no udev needed): every /sys/class/tty entry with a device,
 * its driver, and for USB adapters the ids found up the device tree. Legacy 8250 ports that
 * a PC always lists are left out; so are virtual terminals.
 */
export function portsFromSysfs(sys = '/sys', dev = '/dev'): SerialPortInfo[] {
  const root = join(sys, 'class', 'tty');
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return [];
  }
  const out: SerialPortInfo[] = [];
  for (const name of names.sort()) {
    const device = join(root, name, 'device');
    if (!existsSync(device)) continue;
    let driver: string | null = null;
    try {
      driver = basename(readlinkSync(join(device, 'driver')));
    } catch {
      driver = null;
    }
    if (driver === 'serial8250') continue;
    // Up the tree from the tty's device to the USB device that holds idVendor/idProduct.
    let dir: string | null = null;
    try {
      dir = realpathSync(device);
    } catch {
      dir = null;
    }
    let vid: string | null = null;
    let pid: string | null = null;
    let manufacturer: string | null = null;
    let serial: string | null = null;
    for (let d = dir; d && d !== dirname(d) && d.startsWith(sys); d = dirname(d)) {
      vid = read(join(d, 'idVendor'));
      if (vid) {
        pid = read(join(d, 'idProduct'));
        manufacturer = read(join(d, 'manufacturer'));
        serial = read(join(d, 'serial'));
        break;
      }
    }
    const path = join(dev, name);
    out.push({
      path,
      kind: vid ? 'usb' : driver ? 'platform' : 'unknown',
      adapter: adapterName(vid, pid, path, driver),
      vendor_id: vid,
      product_id: pid,
      manufacturer,
      serial_number: serial,
    });
  }
  return out;
}

/** The serial library's list in Rigger's shape (Windows COM names normalized). */
export function fromLibrary(ports: LibraryPort[]): SerialPortInfo[] {
  return ports.map((p) => {
    const path = normalizePortPath(p.path);
    const vid = p.vendorId?.toLowerCase() ?? null;
    const pid = p.productId?.toLowerCase() ?? null;
    return {
      path,
      kind: vid ? 'usb' : 'unknown',
      adapter: adapterName(vid, pid, path),
      vendor_id: vid,
      product_id: pid,
      manufacturer: p.manufacturer ?? null,
      serial_number: p.serialNumber ?? null,
    };
  });
}

/** USB adapters first (known ones before unknown), then the rest, each by path. */
export function byRelevance(a: SerialPortInfo, b: SerialPortInfo): number {
  const rank = (p: SerialPortInfo) => (p.kind === 'usb' ? (p.adapter ? 0 : 1) : 2);
  return rank(a) - rank(b) || a.path.localeCompare(b.path);
}

/**
 * List serial ports: the serial library's list when it works (it needs udev on Linux), else
 * sysfs. Never throws: a machine without either lists nothing.
 */
export async function listPorts(
  library: () => Promise<LibraryPort[]> = defaultLibrary,
  sys = '/sys',
): Promise<{ ports: SerialPortInfo[]; source: 'serialport' | 'sysfs' }> {
  try {
    const listed = fromLibrary(await library()).filter(
      (p) => !/\/ttyS\d+$/.test(p.path) || p.vendor_id,
    );
    if (listed.length || process.platform !== 'linux') {
      return { ports: listed.sort(byRelevance), source: 'serialport' };
    }
  } catch {
    // No udev, no native binding: sysfs below.
  }
  return { ports: portsFromSysfs(sys).sort(byRelevance), source: 'sysfs' };
}

async function defaultLibrary(): Promise<LibraryPort[]> {
  const { SerialPort } = loadSerialPort();
  return SerialPort.list();
}
