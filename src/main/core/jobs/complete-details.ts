import { seedSize } from '../../../shared/format/bytes';
import { seedDuration } from '../../../shared/format/duration';
import type { JobRow } from './store';

/** A `job_complete` event's details: the job's result and error, and the seed's fields. */
export function completeDetails(row: JobRow, extra: Partial<JobRow>): Record<string, unknown> {
  const version = typeof row.params.version === 'string' ? row.params.version : null;
  return {
    ...(extra.result ?? {}),
    ...(extra.error ? { error: extra.error } : {}),
    // The seed's fields, as it writes them.
    ...(version ? { version } : {}),
    ...(row.bytes_total > 0 ? { size: seedSize(row.bytes_total) } : {}),
    duration: seedDuration((Date.parse(row.finished_at!) - Date.parse(row.started_at)) / 1000),
  };
}
