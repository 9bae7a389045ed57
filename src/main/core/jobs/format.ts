import {
  ACTIVE_STATUSES,
  CANCELABLE_STATUSES,
  type Job,
  type JobsList,
} from '../../../shared/jobs';
import type { UpdateProgress } from '../../../shared/ota';
import { seedSize, seedSpeed } from '../../../shared/format/bytes';
import { seedClock, seedTime } from '../../../shared/format/time';
import { remainingSeconds } from './estimate';
import type { JobRow } from './store';

/** Statuses in which the user may still cancel: before anything switched the boot slot. */
export const CANCELABLE = new Set<string>(CANCELABLE_STATUSES);

/**
 * Can the job go on from its journal? An update written over SSH (checkpoints, then the
 * install) and a flash over the console (its chunks proven by crc32) keep one a resume can
 * follow. A restore, snapshot, rollback or factory reset is started again instead: each proves
 * its own state from the start.
 */
export function canResume(row: Pick<JobRow, 'type' | 'subtype' | 'status' | 'state'>): boolean {
  if (row.type !== 'update') return false;
  // A console flash has a journal once it began sending chunks; before that it starts again.
  if (row.subtype === 'console_flash') {
    return (row.status === 'interrupted' || row.status === 'failed') && !!row.state.resumable;
  }
  return row.status === 'interrupted' || (row.status === 'failed' && !!row.state.resumable);
}

/** How a write travelled (`raw`/`gzip` over SSH, `tftp`/`ymodem` at U-Boot) and what it sent. */
function wireDetails(state: Record<string, unknown>): Record<string, unknown> {
  // `console_chunks_done`: a console flash's resume point, the chunks proven so far.
  const keys = [
    'wire',
    'wire_reason',
    'via',
    'via_reason',
    'bytes_written',
    'bytes_on_wire',
    'console_chunks_done',
  ];
  return Object.fromEntries(keys.filter((k) => state[k] !== undefined).map((k) => [k, state[k]]));
}

/** A stored job as the seed's job entry. */
export function toSeedJob(row: JobRow, now = Date.now()): Job {
  const eta = remainingSeconds(row, now);
  const version = typeof row.params.version === 'string' ? row.params.version : null;
  return {
    id: row.id,
    type: row.type,
    subtype: row.subtype,
    status: row.status,
    progress: Math.round(row.progress * 10) / 10,
    started: seedTime(row.started_at),
    estimated_completion:
      eta === null ? null : seedTime(row.finished_at ?? new Date(now + eta * 1000).toISOString()),
    ...(version ? { update: { version, size: seedSize(row.bytes_total || null) } } : {}),
    details: {
      target_partition: row.state.target ?? row.params.target_partition ?? null,
      ...wireDetails(row.state),
    },
    user: row.started_by,
    cancelable: CANCELABLE.has(row.status),
    gateway: row.gateway,
    current_operation: row.operation,
    resumable: canResume(row),
    error: row.error?.message ?? null,
  };
}

/** The seed's summary: active/pending now, completed/failed since local midnight. */
export function summarize(rows: JobRow[], now = new Date()): JobsList['summary'] {
  const midnight = new Date(now);
  midnight.setHours(0, 0, 0, 0);
  const today = (r: JobRow) => r.finished_at !== null && new Date(r.finished_at) >= midnight;
  return {
    active: rows.filter((r) => ACTIVE_STATUSES.includes(r.status)).length,
    pending: rows.filter((r) => r.status === 'pending' || r.status === 'downloaded').length,
    completed_today: rows.filter((r) => r.status === 'success' && today(r)).length,
    failed_today: rows.filter((r) => r.status === 'failed' && today(r)).length,
  };
}

/** A stored job as the seed's "Get Update Progress" answer. */
export function toProgress(row: JobRow, now = Date.now()): UpdateProgress {
  const eta = remainingSeconds(row, now);
  const end = row.finished_at ? Date.parse(row.finished_at) : now;
  return {
    status: row.status,
    job_id: row.id,
    progress: {
      percentage: Math.round(row.progress * 10) / 10,
      current_operation: row.operation,
      speed: seedSpeed(row.finished_at ? 0 : row.speed) ?? '0B/s',
      downloaded: seedSize(row.bytes_done),
      total: seedSize(row.bytes_total || null),
      eta: eta === null ? null : seedClock(eta),
      elapsed: seedClock((end - Date.parse(row.started_at)) / 1000),
    },
    update: {
      version: String(row.params.version ?? ''),
      type: typeof row.params.type === 'string' ? row.params.type : null,
      target_partition: row.state.target === 'A' ? 'A' : 'B',
    },
    status_details: {
      bytes_downloaded: row.bytes_done,
      bytes_total: row.bytes_total,
      connections: 1,
      errors: row.errors,
      retries: row.retries,
    },
    error: row.error ? { ...row.error } : null,
  };
}
