import { formatBytes, formatSpeed } from '../../../../shared/format/bytes';
import { Icon } from '../../components/Icon';
import type { Stall } from '../../stores/update-run';

/** The words for a stalled write: what is seen, what Rigger does, and the way out. */
export function stallWords(gateway: string, stall: Stall) {
  const r = stall.retry;
  return {
    title: `No data from ${gateway} for ${stall.seconds} s · speed ${formatSpeed(0)}`,
    doing: r
      ? `Link lost: retrying ${r.attempt} of ${r.maxAttempts}, will resume at byte ` +
        `${r.resumeAt.toLocaleString('en-US')} (${formatBytes(r.resumeAt)}).`
      : 'The link may be down. Rigger waits for the connection to answer, then reconnects ' +
        'and resumes from the last proven checkpoint by itself.',
    wayOut: r
      ? `Check the network cable and that ${gateway} has power. If every retry fails, the job ` +
        'stops and can be resumed from where it failed. Nothing has been switched: ' +
        `${gateway} keeps running its current slot.`
      : `Check the network cable and that ${gateway} has power. Nothing has been switched yet.`,
  };
}

/** Shown while a write moves no bytes, in place of a speed and ETA that are no longer true. */
export function StallNotice({ gateway, stall }: { gateway: string; stall: Stall }) {
  const w = stallWords(gateway, stall);
  return (
    <div className="panel panel-alarm" role="alert" data-testid="update-stall">
      <p className="panel-title">
        <Icon name="warn" /> {w.title}
      </p>
      <p>{w.doing}</p>
      {stall.retry?.error && <p className="muted">Last error: {stall.retry.error}</p>}
      <p>{w.wayOut}</p>
    </div>
  );
}
