import type { HistoryEntry, History } from '../../../shared/history';
import type { JobStore, JobRow } from '../jobs/store';
import { seedSize } from '../../../shared/format/bytes';
import { seedTime } from '../../../shared/format/time';

/** "15m", "1h 5m", "40s": durations as the seed writes them. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.round(s / 60);
  return m < 60 ? `${m}m` : `${Math.floor(m / 60)}h ${m % 60}m`;
}

/** What undoes a checksum mismatch: where the bytes went wrong says what to fetch again. */
function checksumResolution(d: Record<string, unknown>): string {
  return d.where === 'library' ? 'Re-import required' : 'Rewrite required';
}

/** A finished update job as a seed history entry (null for jobs that never finished). */
export function toHistoryEntry(row: JobRow): HistoryEntry | null {
  if (row.status !== 'success' && row.status !== 'failed' && row.status !== 'cancelled')
    return null;
  const at = row.finished_at ?? row.updated_at;
  const seconds = (Date.parse(at) - Date.parse(row.started_at)) / 1000;
  const rollback = row.state.rollback === true || row.error?.details.rollback === true;
  const target = row.state.target === 'A' ? 'A' : 'B';
  const entry: HistoryEntry = {
    id: row.id,
    version: String(row.params.version ?? ''),
    type: typeof row.params.type === 'string' ? row.params.type : null,
    status: row.status,
    date: seedTime(row.started_at).slice(0, 10),
    time: seedTime(row.started_at).slice(11),
    duration: formatDuration(seconds),
    partition: target,
    size: seedSize(row.bytes_total || null),
    initiated_by: row.started_by,
    rollback,
    gateway: row.gateway,
    details: {
      subtype: row.subtype,
      safety_check: row.error?.code === 'OTA_002' ? 'blocked' : 'passed',
      verification: row.state.verified ? 'success' : 'not_done',
      committed: row.result?.committed === true,
    },
  };
  if (row.error && row.status !== 'success') {
    entry.error = row.error.message;
    const d = row.error.details;
    const checksum = row.error.code === 'OTA_007';
    entry.error_details = {
      code: row.error.code,
      ...(d.expected !== undefined || checksum
        ? { expected: d.expected ?? null, actual: d.actual ?? null }
        : {}),
      ...(d.resolution !== undefined || checksum
        ? { resolution: d.resolution ?? checksumResolution(d) }
        : {}),
      ...(d.reason !== undefined ? { reason: d.reason } : {}),
      suggested_actions: row.error.suggested_actions,
    };
  }
  return entry;
}

/** Statistics over entries: success rate, mean duration, last success and failure dates. */
export function statistics(entries: HistoryEntry[], rows: JobRow[]): History['statistics'] {
  const ok = entries.filter((e) => e.status === 'success');
  const failed = entries.filter((e) => e.status === 'failed');
  const secs = rows
    .filter((r) => r.finished_at)
    .map((r) => (Date.parse(r.finished_at!) - Date.parse(r.started_at)) / 1000);
  return {
    total_updates: entries.length,
    success_rate: entries.length ? `${Math.round((100 * ok.length) / entries.length)}%` : '0%',
    average_duration: secs.length
      ? formatDuration(secs.reduce((a, b) => a + b, 0) / secs.length)
      : '0s',
    last_success: ok[0]?.date ?? null,
    last_failure: failed[0]?.date ?? null,
  };
}

/** Which past updates to list. */
export interface HistoryQuery {
  gateway?: string;
  limit: number;
  status?: string;
  type?: string;
  since?: string;
  until?: string;
}

/** The update history: finished update jobs as the seed's entries, with statistics. */
export interface HistoryService {
  /** Past updates, newest first, filtered; the statistics cover every finished update. */
  updates(q: HistoryQuery): History;
}

/** The update history, derived from the job journal. */
export function createHistoryService(store: JobStore): HistoryService {
  return {
    updates(q) {
      const rows = store
        .list({ gateway: q.gateway, statuses: ['success', 'failed', 'cancelled'], limit: 10000 })
        .filter((r) => r.type === 'update')
        .filter((r) => !q.since || r.started_at >= q.since)
        .filter((r) => !q.until || r.started_at <= q.until);
      const all = rows.map(toHistoryEntry).filter((e): e is HistoryEntry => e !== null);
      const shown = all.filter(
        (e) => (!q.status || e.status === q.status) && (!q.type || e.type === q.type),
      );
      return { history: shown.slice(0, q.limit), statistics: statistics(all, rows) };
    },
  };
}
