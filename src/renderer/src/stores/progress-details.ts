import { progressFigures } from '../../../shared/progress-details';

/** A dropped link being retried, as the core reports it in a progress event. */
export interface LinkRetryView {
  attempt: number;
  maxAttempts: number;
  resumeAt: number;
  error: string;
}

/** What the renderer reads from a `progress_update` event's details. */
export interface ProgressDetails {
  bytesDone: number | null;
  bytesTotal: number | null;
  /** Bytes per second. */
  speed: number | null;
  elapsed: string | null;
  /** Seconds since the last byte moved, while the write is stalled; null while it moves. */
  stalledSeconds: number | null;
  linkRetry: LinkRetryView | null;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function retryOf(v: unknown): LinkRetryView | null {
  if (!v || typeof v !== 'object') return null;
  const r = v as Record<string, unknown>;
  const attempt = num(r.attempt);
  const max = num(r.max_attempts);
  if (attempt === null || max === null) return null;
  return {
    attempt,
    maxAttempts: max,
    resumeAt: num(r.resume_at) ?? 0,
    error: typeof r.error === 'string' ? r.error : '',
  };
}

/**
 * The one place the renderer reads a progress event's details: the core's field names live here
 * only, so a rename of theirs is a change of one line.
 */
export function readProgressDetails(details: Record<string, unknown>): ProgressDetails {
  const figures = progressFigures(details);
  return {
    bytesDone: figures.done,
    bytesTotal: figures.total,
    speed: figures.bytesPerSecond,
    elapsed: typeof details.elapsed === 'string' ? details.elapsed : null,
    stalledSeconds: num(details.stalled_seconds),
    linkRetry: retryOf(details.link_retry),
  };
}
