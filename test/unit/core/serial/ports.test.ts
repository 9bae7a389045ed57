import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { EventEmitter } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { adapterName, normalizePortPath } from '../../../../src/main/core/serial/adapters';
import { watchPorts } from '../../../../src/main/core/serial/hotplug';
import { fromLibrary, listPorts, portsFromSysfs } from '../../../../src/main/core/serial/ports';
import type { SerialPortInfo } from '../../../../src/shared/serial';

/**
 * A FAKE sysfs tree (USB hardware cannot exist on these machines): the same files and links
 * the kernel makes for an FTDI adapter, a CH340, a CDC-ACM board, a platform UART, and the
 * legacy 8250 ports every PC lists.
 */
function fakeSys(): string {
  const sys = mkdtempSync(join(tmpdir(), 'rigger-sys-'));
  const devices = join(sys, 'devices');
  const drivers = join(sys, 'bus', 'drivers');
  for (const d of ['ftdi_sio', 'ch341-uart', 'cdc_acm', 'serial8250', 'uart-pl011'])
    mkdirSync(join(drivers, d), { recursive: true });
  const usbTty = (
    bus: string,
    vid: string,
    pid: string,
    tty: string,
    driver: string,
    extra: Record<string, string> = {},
  ) => {
    const usbDev = join(devices, 'pci0000:00', bus);
    mkdirSync(usbDev, { recursive: true });
    writeFileSync(join(usbDev, 'idVendor'), `${vid}\n`);
    writeFileSync(join(usbDev, 'idProduct'), `${pid}\n`);
    for (const [k, v] of Object.entries(extra)) writeFileSync(join(usbDev, k), `${v}\n`);
    const iface = join(usbDev, `${bus}:1.0`, tty);
    mkdirSync(iface, { recursive: true });
    symlinkSync(join(drivers, driver), join(iface, 'driver'));
    mkdirSync(join(sys, 'class', 'tty', tty), { recursive: true });
    symlinkSync(iface, join(sys, 'class', 'tty', tty, 'device'));
  };
  usbTty('1-1', '0403', '6001', 'ttyUSB0', 'ftdi_sio', {
    manufacturer: 'FTDI',
    serial: 'A10K1234',
  });
  usbTty('1-2', '1a86', '7523', 'ttyUSB1', 'ch341-uart');
  usbTty('1-3', '2e8a', '000a', 'ttyACM0', 'cdc_acm');
  const platform = (tty: string, driver: string) => {
    const d = join(devices, 'platform', tty);
    mkdirSync(d, { recursive: true });
    symlinkSync(join(drivers, driver), join(d, 'driver'));
    mkdirSync(join(sys, 'class', 'tty', tty), { recursive: true });
    symlinkSync(d, join(sys, 'class', 'tty', tty, 'device'));
  };
  platform('ttyS0', 'serial8250');
  platform('ttyAMA0', 'uart-pl011');
  mkdirSync(join(sys, 'class', 'tty', 'tty1'), { recursive: true }); // a virtual terminal: no device
  return sys;
}

describe('serial ports', () => {
  it('lists adapters from sysfs alone (no udev): ids, names, manufacturer; no legacy 8250 or VTs', () => {
    const ports = portsFromSysfs(fakeSys(), '/dev');
    expect(ports.map((p) => [p.path, p.kind, p.adapter])).toEqual([
      ['/dev/ttyACM0', 'usb', 'USB CDC-ACM'],
      ['/dev/ttyAMA0', 'platform', null],
      ['/dev/ttyUSB0', 'usb', 'FTDI FT232R'],
      ['/dev/ttyUSB1', 'usb', 'WCH CH340'],
    ]);
    expect(ports.find((p) => p.path === '/dev/ttyUSB0')).toMatchObject({
      vendor_id: '0403',
      product_id: '6001',
      manufacturer: 'FTDI',
      serial_number: 'A10K1234',
    });
  });

  it('falls back to sysfs when the serial library cannot list, and puts known adapters first', async () => {
    const r = await listPorts(() => Promise.reject(new Error('udevadm: not found')), fakeSys());
    expect(r.source).toBe('sysfs');
    expect(r.ports.map((p) => p.path)).toEqual([
      '/dev/ttyACM0',
      '/dev/ttyUSB0',
      '/dev/ttyUSB1',
      '/dev/ttyAMA0',
    ]);
  });

  it('never throws, even with no sysfs at all', async () => {
    const r = await listPorts(() => Promise.reject(new Error('no binding')), '/nonexistent');
    expect(r.ports).toEqual([]);
  });

  it('handles Windows COM names as the library lists them', () => {
    expect(normalizePortPath('com3')).toBe('COM3');
    expect(normalizePortPath('\\\\.\\COM10')).toBe('COM10');
    expect(normalizePortPath('/dev/ttyUSB0')).toBe('/dev/ttyUSB0');
    const [p] = fromLibrary([
      { path: 'COM7', vendorId: '10C4', productId: 'EA60', manufacturer: 'Silicon Labs' },
    ]);
    expect(p).toMatchObject({
      path: 'COM7',
      kind: 'usb',
      adapter: 'Silicon Labs CP210x',
      vendor_id: '10c4',
    });
    expect(adapterName('067b', '2303', 'COM4')).toBe('Prolific PL2303');
    expect(adapterName('1a86', '9999', 'COM5')).toBe('WCH CH34x');
  });
});

describe('adapters plugged in and out', () => {
  const port = (path: string, adapter: string | null): SerialPortInfo => ({
    path,
    kind: 'usb',
    adapter,
    vendor_id: null,
    product_id: null,
    manufacturer: null,
    serial_number: null,
  });

  it('says which adapter came and went, on the USB bus events (a MOCK bus: no USB hardware here)', async () => {
    let present: SerialPortInfo[] = [];
    const bus = new EventEmitter();
    const messages: string[] = [];
    const w = watchPorts({
      list: async () => present,
      onChange: (_p, _added, m) => messages.push(m),
      usb: bus,
      pollMs: 60_000,
    });
    await new Promise((r) => setTimeout(r, 50));
    present = [port('/dev/ttyUSB0', 'FTDI FT232R')];
    bus.emit('attach');
    await new Promise((r) => setTimeout(r, 600));
    present = [];
    bus.emit('detach');
    await new Promise((r) => setTimeout(r, 600));
    w.stop();
    expect(messages).toEqual([
      'USB serial adapter connected: FTDI FT232R on /dev/ttyUSB0',
      'USB serial adapter disconnected: FTDI FT232R from /dev/ttyUSB0',
    ]);
  });

  it('notices by polling when no bus events are available, and survives a failing list', async () => {
    let calls = 0;
    const messages: string[] = [];
    const w = watchPorts({
      list: async () => {
        calls++;
        if (calls === 2) throw new Error('busy');
        return calls >= 3 ? [port('/dev/ttyACM0', 'USB CDC-ACM')] : [];
      },
      onChange: (_p, _a, m) => messages.push(m),
      usb: null,
      pollMs: 30,
    });
    await new Promise((r) => setTimeout(r, 300));
    w.stop();
    expect(messages).toEqual(['USB serial adapter connected: USB CDC-ACM on /dev/ttyACM0']);
  });
});
