import { Icon } from '../../components/Icon';
import { useUpdates, type Running } from '../../stores/updates';

const STEPS: Array<[string, string[]]> = [
  ['Check', ['checking_image_and_gateway', 'pending']],
  ['Write', ['writing_image']],
  ['Verify', ['verifying_written_slot', 'ready_to_install']],
  ['Switch', ['safety_check', 'verifying_slot_before_switch', 'updating_bootloader']],
  ['Reboot', ['rebooting', 'waiting_for_gateway']],
  ['Health and commit', ['health_check', 'committing']],
];

/** The one big progress view: bar, percentage, step among the steps, speed, ETA, elapsed. */
export function UpdateProgressView({ run }: { run: Running }) {
  const p = run.progress;
  const op = p?.progress.current_operation ?? 'pending';
  const at = Math.max(
    0,
    STEPS.findIndex(([, ops]) => ops.includes(op)),
  );
  const pct = p?.progress.percentage ?? 0;
  const cancelable =
    !run.outcome &&
    ['pending', 'downloading', 'verifying', 'paused_safety'].includes(p?.status ?? 'pending');
  return (
    <section className="progress-view" aria-labelledby="run-title" data-testid="update-progress">
      <h2 id="run-title">
        Installing {run.version} on {run.gateway}
      </h2>
      <ol className="step-line">
        {STEPS.map(([label], i) => (
          <li
            key={label}
            className={run.outcome === 'success' || i < at ? 'done' : i === at ? 'now' : ''}
            aria-current={i === at && !run.outcome ? 'step' : undefined}
          >
            <Icon
              name={run.outcome === 'success' || i < at ? 'check' : i === at ? 'next' : 'ring'}
            />{' '}
            {label}
          </li>
        ))}
      </ol>
      {!run.outcome && (
        <div role="status" aria-live="polite">
          <div className="progress-track big" aria-hidden="true">
            <div className="progress-fill" style={{ width: `${pct}%` }} />
          </div>
          <p className="progress-figures">
            <strong>{Math.round(pct)}%</strong> · {op.replace(/_/g, ' ')}
            {p?.progress.speed ? ` · ${p.progress.speed}` : ''}
            {p?.progress.downloaded && p.progress.total
              ? ` · ${p.progress.downloaded} of ${p.progress.total}`
              : ''}
            {p?.progress.eta ? ` · ETA ${p.progress.eta}` : ''} · elapsed{' '}
            {p?.progress.elapsed ?? '0:00'}
          </p>
          {run.countdown !== null && p?.status !== 'verifying_boot' && (
            <p className="panel panel-warn" data-testid="reboot-countdown">
              <Icon name="warn" /> {run.gateway} reboots in {run.countdown} s
            </p>
          )}
          {p?.status === 'paused_safety' && (
            <p className="panel panel-alarm">
              <Icon name="stop" /> Paused: a safety signal blocks the next step. It continues by
              itself once it clears.
            </p>
          )}
          {cancelable && (
            <button type="button" onClick={() => void useUpdates.getState().cancel()}>
              Cancel the update
            </button>
          )}
        </div>
      )}
      {run.outcome && <Outcome run={run} />}
    </section>
  );
}

function Outcome({ run }: { run: Running }) {
  const p = run.progress;
  const actions = ((p?.error?.suggested_actions as string[] | undefined) ?? []).filter(Boolean);
  if (run.outcome === 'success') {
    return (
      <div className="panel panel-info" role="status" data-testid="update-result">
        <p className="panel-title">
          <Icon name="check" /> {run.gateway} runs {run.version} from slot{' '}
          {p?.update.target_partition}: booted, healthy, committed.
        </p>
        <button type="button" onClick={() => useUpdates.getState().dismiss()}>
          Done
        </button>
      </div>
    );
  }
  const rollback = (p?.error?.details as { rollback?: boolean } | undefined)?.rollback;
  return (
    <div className="panel panel-error" role="alert" data-testid="update-result">
      <p className="panel-title">
        <Icon name="stop" />{' '}
        {run.outcome === 'cancelled'
          ? 'Cancelled'
          : rollback
            ? 'Rolled back'
            : 'The update did not finish'}
      </p>
      <p>{run.message}</p>
      {actions.length > 0 && (
        <>
          <p>What to do next:</p>
          <ul>
            {actions.map((a) => (
              <li key={a}>{a}</li>
            ))}
          </ul>
        </>
      )}
      {typeof p?.error?.code === 'string' && <p className="muted">Code {p.error.code}</p>}
      <button type="button" onClick={() => useUpdates.getState().dismiss()}>
        Close
      </button>
    </div>
  );
}
