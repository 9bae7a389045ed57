import { format, isValid } from 'date-fns';

/*
 * One date and time format everywhere: for people, 24-hour local time with the date
 * ("2026-01-02 07:05:09"); in JSON, ISO 8601, or the seed's own "YYYY-MM-DD HH:MM:SS" (UTC)
 * where a seed shape asks for it.
 */

type When = string | number | Date | null | undefined;

const toDate = (v: When): Date | null => {
  if (v === null || v === undefined || v === '') return null;
  const d = v instanceof Date ? v : new Date(v);
  return isValid(d) ? d : null;
};

/** Date and time for people, 24 h local: "2026-01-02 07:05:09", or "unknown". */
export function formatDateTime(v: When): string {
  const d = toDate(v);
  return d ? format(d, 'yyyy-MM-dd HH:mm:ss') : 'unknown';
}

/** The time of day for people, 24 h local: "07:05:09", or "unknown". */
export function formatClock(v: When): string {
  const d = toDate(v);
  return d ? format(d, 'HH:mm:ss') : 'unknown';
}

/** The date for people, local: "2026-01-02", or "unknown". */
export function formatDate(v: When): string {
  const d = toDate(v);
  return d ? format(d, 'yyyy-MM-dd') : 'unknown';
}

/** A time as the seed writes it in JSON: "2025-03-10 14:32:11" (UTC); throws on an invalid time. */
export function seedTime(v: string | number | Date): string {
  return new Date(v).toISOString().slice(0, 19).replace('T', ' ');
}

/** The seed's time for a value that may be missing or unreadable: null then. */
export function seedTimeOrNull(v: When): string | null {
  const d = toDate(v);
  return d ? seedTime(d) : null;
}

/** A seed time ("2025-03-10 14:32:11", UTC) read back as a Date; null when it is not one. */
export function parseSeedTime(text: string | null | undefined): Date | null {
  const m = text?.match(/^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/);
  return m ? toDate(`${m[1]}T${m[2]}Z`) : null;
}

/** Seconds of a seed duration ("02:05", "1:02:05", as the seed writes ETA and elapsed); null otherwise. */
export function clockSeconds(text: string | null | undefined): number | null {
  if (!text || !/^\d+(:\d{1,2}){1,2}$/.test(text)) return null;
  return text.split(':').reduce((total, part) => total * 60 + Number(part), 0);
}

/**
 * A seed time from the core (UTC) for people: local 24 h date and time; "unknown" when missing,
 * and the text as given when it is not a seed time (nothing is hidden).
 */
export function formatSeedTime(text: string | null | undefined): string {
  if (!text) return 'unknown';
  const d = parseSeedTime(text);
  return d ? formatDateTime(d) : text;
}

/**
 * Seconds as "HH:MM:SS", hours always shown ("00:05:15"), as the backup seeds write durations,
 * ETAs and elapsed times; a negative or unknown duration is "00:00:00".
 */
export function seedHms(seconds: number): string {
  const total = Number.isFinite(seconds) ? Math.max(0, Math.round(seconds)) : 0;
  const parts = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60];
  return parts.map((v) => String(v).padStart(2, '0')).join(':');
}

/** Seconds as the update seed writes elapsed time and ETA: "02:05", or "01:02:05" past an hour. */
export function seedClock(seconds: number): string {
  const text = seedHms(seconds);
  return text.startsWith('00:') ? text.slice(3) : text;
}
