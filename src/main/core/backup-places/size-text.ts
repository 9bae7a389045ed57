import { RiggerError } from '../../../shared/errors';

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** Bytes as the backup seed writes sizes: "1.4 GB", "850 MB", "0 B" (binary multiples). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '0 B';
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  const shown = v >= 100 || Number.isInteger(v) ? Math.round(v).toString() : v.toFixed(1);
  return `${shown.replace(/\.0$/, '')} ${UNITS[i]}`;
}

/** "20 GB" → bytes; a plain number is bytes. A size that is not one is a VALIDATION_ERROR. */
export function parseSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB)?\s*$/i.exec(text);
  if (!m) {
    throw new RiggerError('VALIDATION_ERROR', `"${text}" is not a size`, { value: text }, [
      'Write a size like "20 GB" or "850 MB"',
    ]);
  }
  const unit = (m[2] ?? 'B').toUpperCase() as (typeof UNITS)[number];
  return Math.round(Number(m[1]) * 1024 ** UNITS.indexOf(unit));
}
