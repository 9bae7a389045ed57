import type { Settings } from './settings';

type Window = Settings['maintenance_window'];

/** Is the maintenance window open now, and when does it open (or close) next. */
export interface WindowState {
  enabled: boolean;
  open: boolean;
  /** Start of the next opening (ISO), when closed. */
  opens_at: string | null;
  /** End of the current opening (ISO), when open. */
  closes_at: string | null;
}

const DAY_NAMES = [
  'Sunday',
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
] as const;

/** The days the window opens on, from its schedule. */
function daysOf(w: Window): ReadonlySet<string> {
  if (w.schedule === 'daily') return new Set(DAY_NAMES);
  if (w.schedule === 'weekdays') return new Set(DAY_NAMES.slice(1, 6));
  if (w.schedule === 'weekends') return new Set(['Saturday', 'Sunday']);
  return new Set(w.days);
}

/**
 * The window in the laptop's local time (the technician's clock at the crane): it opens at
 * `time` on each scheduled day and lasts `duration` seconds, possibly past midnight.
 */
export function windowState(w: Window, now: Date = new Date()): WindowState {
  if (!w.enabled) return { enabled: false, open: true, opens_at: null, closes_at: null };
  const days = daysOf(w);
  const [hh, mm] = w.time.split(':').map(Number) as [number, number];
  const spanDays = Math.ceil(w.duration / 86_400) + 1;
  let next: Date | null = null;
  for (let d = -spanDays; d <= 8; d++) {
    const start = new Date(now.getFullYear(), now.getMonth(), now.getDate() + d, hh, mm);
    if (!days.has(DAY_NAMES[start.getDay()]!)) continue;
    const end = new Date(start.getTime() + w.duration * 1000);
    if (start <= now && now < end) {
      return { enabled: true, open: true, opens_at: null, closes_at: end.toISOString() };
    }
    if (start > now && (!next || start < next)) next = start;
  }
  return { enabled: true, open: false, opens_at: next?.toISOString() ?? null, closes_at: null };
}
