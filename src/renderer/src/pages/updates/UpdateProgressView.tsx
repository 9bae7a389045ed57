import { useEffect, useState } from 'react';
import { formatSpeed } from '../../../../shared/format/bytes';
import { Icon } from '../../components/Icon';
import { useUpdates, type Running } from '../../stores/updates';
import { CancelArea } from './CancelArea';
import { StallNotice } from './StallNotice';
import { Outcome } from './UpdateOutcome';
import { elapsedNow, forwardStep, runHeading, STEPS, stepIndex } from './update-view';

/** Re-render every second while `on`: the elapsed time runs between the job's events. */
function useSecondTick(on: boolean): void {
  const [, setTick] = useState(0);
  useEffect(() => {
    if (!on) return;
    const t = setInterval(() => setTick((n) => n + 1), 1000);
    return () => clearInterval(t);
  }, [on]);
}

/** The one big progress view: bar, percentage, step among the steps, speed, ETA, elapsed. */
export function UpdateProgressView({ run }: { run: Running }) {
  const p = run.progress;
  const op = p?.progress.current_operation ?? 'pending';
  // Steps only go forward: an operation of an earlier step later on (the snapshot taken after
  // Verify) does not send the line back to Check.
  const [reached, setReached] = useState({ runId: run.runId, step: 0 });
  const at = forwardStep(reached.runId === run.runId ? reached.step : 0, op);
  if (reached.runId !== run.runId || reached.step !== at)
    setReached({ runId: run.runId, step: at });
  const [asking, setAsking] = useState(false);
  const pct = p?.progress.percentage ?? 0;
  const done = run.outcome === 'success';
  useSecondTick(!run.outcome);
  return (
    <section className="progress-view" aria-labelledby="run-title" data-testid="update-progress">
      <h2 id="run-title">{runHeading(run.gateway, run.version, run.outcome)}</h2>
      <ol className="step-line">
        {STEPS.map(([label], i) => (
          <li
            key={label}
            className={done || i < at ? 'done' : i === at ? 'now' : ''}
            aria-current={i === at && !run.outcome ? 'step' : undefined}
          >
            <Icon name={done || i < at ? 'check' : i === at ? 'next' : 'ring'} /> {label}
            <span className="visually-hidden">
              {done || i < at ? ' (done)' : i === at ? ' (now)' : ' (to come)'}
            </span>
          </li>
        ))}
      </ol>
      {!run.outcome && (
        <div role="status" aria-live="polite">
          <div
            className="progress-track big"
            role="progressbar"
            aria-label="Update progress"
            aria-valuenow={Math.round(pct)}
            aria-valuemin={0}
            aria-valuemax={100}
          >
            <div className="progress-fill" style={{ width: `${pct}%` }} />
          </div>
          <p className="progress-figures" data-testid="update-figures">
            <strong>{Math.round(pct)}%</strong> · {op.replace(/_/g, ' ')}
            {run.stall
              ? ` · speed ${formatSpeed(0)}`
              : p?.progress.speed
                ? ` · ${p.progress.speed}`
                : ''}
            {stepIndex(op) === 1 && p?.progress.downloaded && p.progress.total
              ? ` · ${p.progress.downloaded} of ${p.progress.total}`
              : ''}
            {p?.progress.eta && !run.stall ? ` · ETA ${p.progress.eta}` : ''} · elapsed{' '}
            {elapsedNow(p, run.progressAt)}
          </p>
          {run.stall && <StallNotice gateway={run.gateway} stall={run.stall} />}
          {run.countdown !== null && p?.status !== 'verifying_boot' && (
            <p className="panel panel-warn countdown" data-testid="reboot-countdown">
              <Icon name="warn" /> {run.gateway} reboots in <strong>{run.countdown} s</strong>. The
              link drops for a moment; Rigger waits for it to come back.
            </p>
          )}
          {p?.status === 'paused_safety' && (
            <div className="panel panel-alarm" data-testid="update-paused">
              <p className="panel-title">
                <Icon name="stop" /> Paused: a safety signal blocks the next step
              </p>
              {run.alert && <p>{run.alert}</p>}
              <p>Nothing was switched. It goes on by itself once the signal clears.</p>
            </div>
          )}
          {run.awaitingInstall && <AwaitingInstall run={run} />}
          <CancelArea run={run} asking={asking} setAsking={setAsking} />
        </div>
      )}
      {run.outcome && <Outcome run={run} />}
    </section>
  );
}

/** A written, verified image found again (after a reload or a resume): install it on a yes. */
function AwaitingInstall({ run }: { run: Running }) {
  const error = useUpdates((s) => s.error);
  const [outside, setOutside] = useState(false);
  const target = run.progress?.update.target_partition ?? '?';
  return (
    <div className="panel panel-info" data-testid="update-awaiting">
      <p className="panel-title">
        <Icon name="check" /> Slot {target} holds {run.version}, written and verified
      </p>
      <p>
        Installing switches {run.gateway} to slot {target} for one trial boot and reboots it in 10
        s; Rigger commits only when it comes back healthy on slot {target}.
      </p>
      {error?.code === 'OTA_015' && (
        <label className="inline">
          <input type="checkbox" checked={outside} onChange={(e) => setOutside(e.target.checked)} />
          Install now, outside the maintenance window (recorded)
        </label>
      )}
      <button
        type="button"
        className="primary"
        onClick={() =>
          void useUpdates.getState().installNow({
            rebootDelay: 10,
            snapshot: false,
            outsideWindow: outside,
          })
        }
      >
        Install on slot {target}
      </button>
    </div>
  );
}
