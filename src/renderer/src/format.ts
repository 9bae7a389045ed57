/** A value for display: null and undefined read "unknown", never 0 or blank. */
export const shown = (v: string | number | boolean | null | undefined, unit = ''): string =>
  v === null || v === undefined || v === '' ? 'unknown' : `${v}${unit}`;

/** "3 min ago" style age of an ISO time, or "never". */
export function age(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return 'never';
  const s = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

/** How a gateway is reached, in one line. */
export function connectionLine(
  c:
    | { type: 'ssh'; user: string; host: string; port: number }
    | { type: 'serial'; port: string; baud: number },
): string {
  return c.type === 'ssh'
    ? `SSH ${c.user}@${c.host}:${c.port}`
    : `Serial ${c.port} at ${c.baud} baud`;
}
