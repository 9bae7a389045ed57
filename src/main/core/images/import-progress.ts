import type { CoreEvents } from '../events';
import { progressDetails } from '../../../shared/progress-details';
import { formatEta, progressTracker } from '../util/progress';

let jobSeq = 0;

/** Progress of an import or download as the seed's progress_update events. */
export function importReporter(events: CoreEvents) {
  return (operation: string, total: number | null) => {
    const job_id = `IMG-${Date.now().toString(36).toUpperCase()}-${++jobSeq}`;
    return progressTracker(total, (p) =>
      events.emit({
        type: 'progress_update',
        job_id,
        progress: p.percent ?? 0,
        current_operation: operation,
        eta: formatEta(p.eta_seconds),
        details: {
          ...progressDetails(p.bytes, p.total, p.bytes_per_second),
          elapsed: p.elapsed_seconds,
        },
      }),
    );
  };
}
