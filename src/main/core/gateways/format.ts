/** Bytes as the seed writes sizes: "8GB", "3.2GB", "452MB" (binary multiples). */
export function formatSize(bytes: number | null): string | null {
  if (bytes === null || !Number.isFinite(bytes) || bytes < 0) return null;
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  const shown =
    v >= 100 || Number.isInteger(v) ? Math.round(v).toString() : v.toFixed(1).replace(/\.0$/, '');
  return `${shown}${units[i]}`;
}

/** Seconds of uptime as the seed writes it: "19d 3h 12m". */
export function formatUptime(seconds: number | null): string | null {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return null;
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return d > 0 ? `${d}d ${h}h ${m}m` : h > 0 ? `${h}h ${m}m` : `${m}m`;
}

/** An ISO timestamp as the seed's `last_ota`: "2025-03-10 14:32:11" (UTC). */
export function formatSeedTime(iso: string | null | undefined): string | null {
  if (!iso) return null;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return null;
  return d.toISOString().replace('T', ' ').slice(0, 19);
}

/** One decimal place, for percentages and degrees. */
export const round1 = (v: number): number => Math.round(v * 10) / 10;
