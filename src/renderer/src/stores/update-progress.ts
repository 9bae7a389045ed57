import type { ProgressUpdateEvent } from '../../../shared/events';
import { seedSize, seedSpeed } from '../../../shared/format/bytes';
import type { UpdateProgress } from '../../../shared/ota';
import { readProgressDetails } from './progress-details';

/**
 * The progress answer moved on by a progress event of the same job, written as the core writes
 * `updates.progress` (the same size format), so a bar moves without asking the core.
 */
export function applyProgressEvent(p: UpdateProgress, e: ProgressUpdateEvent): UpdateProgress {
  if (e.job_id !== p.job_id) return p;
  const { bytesDone: done, bytesTotal: total, speed, elapsed } = readProgressDetails(e.details);
  return {
    ...p,
    progress: {
      ...p.progress,
      percentage: e.progress,
      current_operation: e.current_operation,
      eta: e.eta,
      ...(speed === null ? {} : { speed: seedSpeed(speed) }),
      ...(done === null ? {} : { downloaded: seedSize(done) }),
      ...(total === null ? {} : { total: seedSize(total || null) }),
      ...(elapsed === null ? {} : { elapsed }),
    },
    status_details: {
      ...p.status_details,
      ...(done === null ? {} : { bytes_downloaded: done }),
      ...(total === null ? {} : { bytes_total: total }),
    },
  };
}
