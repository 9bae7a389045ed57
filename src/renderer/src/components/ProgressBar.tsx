import type { ProgressUpdateEvent } from '../../../shared/events';
import { formatSpeed } from '../../../shared/format/bytes';
import { readProgressDetails } from '../stores/progress-details';

/** A long transfer: bar, percentage, operation, speed and ETA, announced politely to screen readers. */
export function ProgressBar({
  label,
  event,
}: {
  label: string;
  event: ProgressUpdateEvent | null;
}) {
  const pct = event?.progress ?? 0;
  const speed = event ? readProgressDetails(event.details).speed : null;
  return (
    <div className="progress" role="status" aria-live="polite">
      <div className="progress-line">
        <strong>{label}</strong>{' '}
        {event
          ? `${pct}% · ${event.current_operation.replace(/_/g, ' ')}${speed ? ` · ${formatSpeed(speed)}` : ''} · ETA ${event.eta ?? 'unknown'}`
          : 'starting…'}
      </div>
      <div className="progress-track" aria-hidden="true">
        <div className="progress-fill" style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}
