import type { Fact } from './facts';
import { round1 } from './format';

const ok = (f: Fact | undefined): string | null => (f && f.rc === 0 && f.out.trim() ? f.out : null);

/** CPU busy % between the two /proc/stat samples the fact script took. */
export function cpuUsage(f: Fact | undefined): number | null {
  const text = ok(f);
  if (!text) return null;
  const samples = text
    .split('\n')
    .filter((l) => l.startsWith('cpu '))
    .map((l) => l.trim().split(/\s+/).slice(1).map(Number));
  if (samples.length < 2) return null;
  const [a, b] = samples as [number[], number[]];
  const idle = (s: number[]) => (s[3] ?? 0) + (s[4] ?? 0);
  const total = (s: number[]) => s.reduce((x, y) => x + y, 0);
  const dt = total(b) - total(a);
  if (dt <= 0) return null;
  return round1(Math.min(100, Math.max(0, (100 * (dt - (idle(b) - idle(a)))) / dt)));
}

/** Memory in use %, from MemTotal and MemAvailable (or MemFree + Buffers + Cached). */
export function memoryUsage(f: Fact | undefined): number | null {
  const text = ok(f);
  if (!text) return null;
  const kb: Record<string, number> = {};
  for (const m of text.matchAll(/^(\w+):\s+(\d+)/gm)) kb[m[1]!] = Number(m[2]);
  const total = kb.MemTotal;
  if (!total) return null;
  const avail = kb.MemAvailable ?? (kb.MemFree ?? 0) + (kb.Buffers ?? 0) + (kb.Cached ?? 0);
  return round1((100 * (total - avail)) / total);
}

/** Use % of the data partition from `df -Pk`. */
export function diskUsage(f: Fact | undefined): number | null {
  const text = ok(f);
  if (!text) return null;
  const line = text.trim().split('\n').at(-1)!.trim().split(/\s+/);
  const size = Number(line[1]);
  const used = Number(line[2]);
  if (!Number.isFinite(size) || !Number.isFinite(used) || size <= 0) return null;
  return round1((100 * used) / size);
}

/** First thermal zone in °C (sysfs gives millidegrees). */
export function temperature(f: Fact | undefined): number | null {
  const text = ok(f);
  if (!text) return null;
  const milli = Number(text.trim().split('\n')[0]);
  return Number.isFinite(milli) ? round1(milli / 1000) : null;
}

/** "connected" when the kernel has a default route, "no_route" when it has none. */
export function networkStatus(f: Fact | undefined): string | null {
  const text = ok(f);
  if (!text) return null;
  const hasDefault = text
    .split('\n')
    .slice(1)
    .some((l) => l.trim().split(/\s+/)[1] === '00000000');
  return hasDefault ? 'connected' : 'no_route';
}

/** Seconds since boot from /proc/uptime. */
export function uptimeSeconds(f: Fact | undefined): number | null {
  const text = ok(f);
  if (!text) return null;
  const s = Number(text.trim().split(/\s+/)[0]);
  return Number.isFinite(s) ? s : null;
}
