import type { JobRow, JobStore } from './store';

/**
 * A write over SSH to the gateways Rigger has met, until this gateway has shown its own: the
 * eMMC, not the link, sets the pace (2 MB/s is the slow end of what they do).
 */
const TYPICAL_BYTES_PER_SECOND = 2_000_000;
/** From the reboot command to a committed, healthy slot on these gateways. */
const TYPICAL_BOOT_SECONDS = 90;
/** A job without bytes to move or a reboot to wait for (a factory reset's wipe, a snapshot). */
const TYPICAL_JOB_SECONDS = 60;

const seconds = (r: JobRow) => (Date.parse(r.finished_at ?? '') - Date.parse(r.started_at)) / 1000;

/** The write speed this gateway showed in its latest finished write; a typical one before any. */
function writeSpeed(store: JobStore, gateway: string): number {
  const last = store
    .list({ gateway, statuses: ['success', 'downloaded'], limit: 20 })
    .find((r) => r.bytes_total > 0 && r.speed > 0);
  return last?.speed ?? TYPICAL_BYTES_PER_SECOND;
}

/** What a job will do, for its estimate. */
export interface EstimateInput {
  gateway: string;
  type: JobRow['type'];
  /** Bytes it writes or reads over the link. */
  bytes?: number;
  /** Seconds before a reboot it then waits through; absent: no reboot. */
  rebootDelay?: number;
}

/**
 * Seconds a job is expected to take: its bytes at this gateway's measured speed plus a reboot;
 * a job with neither takes what the last one of its kind on this gateway took.
 */
export function estimateSeconds(store: JobStore, e: EstimateInput): number {
  let total = e.bytes ? e.bytes / writeSpeed(store, e.gateway) : 0;
  if (e.rebootDelay !== undefined) total += e.rebootDelay + TYPICAL_BOOT_SECONDS;
  if (total > 0) return Math.max(1, Math.round(total));
  const past = store
    .list({ gateway: e.gateway, statuses: ['success'], limit: 50 })
    .find((r) => r.type === e.type && r.finished_at && seconds(r) > 0);
  return Math.round(past ? seconds(past) : TYPICAL_JOB_SECONDS);
}

/** The moment a job started now is expected to end (ISO 8601, as the seed writes it). */
export function estimatedCompletion(store: JobStore, e: EstimateInput, now = Date.now()): string {
  return new Date(now + estimateSeconds(store, e) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Estimate a job just created and keep it in its state, so later answers count down from it. */
export function noteEstimate(store: JobStore, jobId: string, e: EstimateInput): number {
  const s = estimateSeconds(store, e);
  store.mergeState(jobId, { estimated_seconds: s });
  return s;
}

/**
 * Seconds left: while bytes move, the bytes still to move at the measured speed; else (before
 * the first bytes, or in the steps after the write) the estimate made at the start less the
 * time since; 0 once the job stopped or its written image waits to be installed.
 */
export function remainingSeconds(
  row: Pick<
    JobRow,
    'status' | 'bytes_done' | 'bytes_total' | 'speed' | 'state' | 'started_at' | 'finished_at'
  >,
  now = Date.now(),
): number | null {
  if (row.finished_at || row.status === 'downloaded') return 0;
  const writing = row.bytes_total > 0 && row.bytes_done < row.bytes_total;
  if (writing && row.speed > 0)
    return Math.max(0, Math.round((row.bytes_total - row.bytes_done) / row.speed));
  const est = row.state.estimated_seconds;
  if (typeof est === 'number')
    return Math.max(0, Math.round(est - (now - Date.parse(row.started_at)) / 1000));
  return row.bytes_total > 0 && !writing ? 0 : null;
}
