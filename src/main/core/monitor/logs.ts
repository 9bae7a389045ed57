import { basename } from 'node:path';
import type { LogEntry, LogsAnswer } from '../../../shared/monitor';
import type { Database } from '../store/database';
import type { LogFile } from './gateway-logs';
import { seedTime } from '../../../shared/format/time';
import { parseLine, sourceOf } from './log-lines';

type Timed = LogEntry & { at: number | null };

export interface LogFilter {
  limit: number;
  level?: LogEntry['level'];
  source?: LogEntry['source'];
  since?: string;
  until?: string;
}

/** Rigger's own record of a gateway (the audit log) as log entries. */
export function riggerEntries(db: Database, gatewayId: number): Timed[] {
  const rows = db
    .prepare('SELECT at, action, outcome, details FROM audit_log WHERE gateway_id = ? ORDER BY at')
    .all(gatewayId) as Array<{
    at: string;
    action: string;
    outcome: string;
    details: string;
  }>;
  return rows.map((r) => ({
    timestamp: seedTime(new Date(r.at)),
    level: r.outcome === 'failed' ? 'error' : r.outcome === 'refused' ? 'warning' : 'info',
    source: sourceOf(r.action),
    message: `Rigger: ${r.action} ${r.outcome}`,
    details: { origin: 'rigger', ...(JSON.parse(r.details) as Record<string, unknown>) },
    at: new Date(r.at).getTime(),
  }));
}

const parseTime = (s: string) =>
  Date.parse(
    s.includes('T') ? s : s.replace(' ', 'T') + (/[zZ]|[+-]\d\d:?\d\d$/.test(s) ? '' : 'Z'),
  );

/** Merge, filter, count and cut: the seed's `monitor/logs` answer. Newest first. */
export function assembleLogs(
  files: LogFile[],
  own: Timed[],
  unreadable: LogsAnswer['unreadable'],
  f: LogFilter,
  year = new Date().getUTCFullYear(),
): LogsAnswer {
  const all: Timed[] = [...own];
  for (const file of files) {
    for (const line of file.text.split('\n'))
      if (line.trim()) all.push(parseLine(line, basename(file.path), year));
  }
  const levels = { info: 0, warning: 0, error: 0, debug: 0 };
  for (const e of all) levels[e.level]++;
  const since = f.since ? parseTime(f.since) : null;
  const until = f.until ? parseTime(f.until) : null;
  const matching = all.filter(
    (e) =>
      (!f.level || e.level === f.level) &&
      (!f.source || e.source === f.source) &&
      (since === null || (e.at !== null && e.at >= since)) &&
      (until === null || (e.at !== null && e.at <= until)),
  );
  // Newest first; lines with no time keep their file order after the timed ones.
  const sorted = matching
    .map((e, i) => ({ e, i }))
    .sort((a, b) => (b.e.at ?? -Infinity) - (a.e.at ?? -Infinity) || a.i - b.i);
  return {
    logs: sorted.slice(0, f.limit).map(({ e: { at: _at, ...entry } }) => entry),
    total: all.length,
    filtered: matching.length,
    levels,
    unreadable,
  };
}
