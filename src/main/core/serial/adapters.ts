/** USB-to-serial adapters technicians carry, by USB vendor (and product) id. */
const KNOWN: ReadonlyArray<{ vid: string; pid?: string; name: string }> = [
  { vid: '0403', pid: '6001', name: 'FTDI FT232R' },
  { vid: '0403', pid: '6010', name: 'FTDI FT2232' },
  { vid: '0403', pid: '6011', name: 'FTDI FT4232' },
  { vid: '0403', pid: '6014', name: 'FTDI FT232H' },
  { vid: '0403', pid: '6015', name: 'FTDI FT231X' },
  { vid: '0403', name: 'FTDI' },
  { vid: '10c4', pid: 'ea60', name: 'Silicon Labs CP210x' },
  { vid: '10c4', name: 'Silicon Labs CP210x' },
  { vid: '1a86', pid: '7523', name: 'WCH CH340' },
  { vid: '1a86', pid: '55d4', name: 'WCH CH9102' },
  { vid: '1a86', name: 'WCH CH34x' },
  { vid: '067b', pid: '2303', name: 'Prolific PL2303' },
  { vid: '067b', name: 'Prolific PL2303' },
];

/** The adapter's name from its ids; a CDC-ACM device (ttyACM*) by its class; else null. */
export function adapterName(
  vid: string | null,
  pid: string | null,
  path: string,
  driver?: string | null,
): string | null {
  const v = vid?.toLowerCase();
  const p = pid?.toLowerCase();
  const hit =
    KNOWN.find((k) => k.vid === v && k.pid === p) ?? KNOWN.find((k) => k.vid === v && !k.pid);
  if (hit) return hit.name;
  if (driver === 'cdc_acm' || /ttyACM\d+$/.test(path)) return 'USB CDC-ACM';
  return null;
}

/**
 * A Windows COM port name as the serial library opens it: `COM10`, `com3` and `\\.\COM10`
 * all become `COM10`. Other paths are left alone.
 */
export function normalizePortPath(path: string): string {
  const m = /^(?:\\\\\.\\)?(com\d+)$/i.exec(path.trim());
  return m ? m[1]!.toUpperCase() : path.trim();
}
