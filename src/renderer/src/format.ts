import type { Connection } from '../../shared/gateways';

type Shown = string | number | boolean | null | undefined;

/** A value for display: null, undefined and blank read "unknown", never 0 or empty. */
export function shown(v: Shown, unit = ''): string {
  if (v === null || v === undefined || (typeof v === 'string' && !v.trim())) return 'unknown';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return `${v}${unit}`;
}

/** A percentage figure, rounded to one decimal, or "unknown". */
export function percent(v: number | null | undefined): string {
  return v === null || v === undefined ? 'unknown' : `${Math.round(v * 10) / 10} %`;
}

/** A temperature in °C, or "unknown". */
export function celsius(v: number | null | undefined): string {
  return v === null || v === undefined ? 'unknown' : `${Math.round(v * 10) / 10} °C`;
}

/** "3 min ago" style age of an ISO time, or "never". */
export function age(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return 'never';
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return 'unknown';
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

/** Where a gateway is reached: `user@host:port` over SSH, or its serial port. */
export function connectionTarget(c: Connection): string {
  return c.type === 'ssh' ? `${c.user}@${c.host}:${c.port}` : `${c.port} at ${c.baud} baud`;
}

/** How a gateway is reached, in one line: "SSH root@10.0.0.5:22" or "Serial /dev/ttyUSB0 …". */
export function connectionLine(c: Connection): string {
  return `${c.type === 'ssh' ? 'SSH' : 'Serial'} ${connectionTarget(c)}`;
}
