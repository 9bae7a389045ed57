import { Icon } from '../../components/Icon';
import { StepLine } from '../../components/StepLine';
import { useRecovery, type FollowedJob } from '../../stores/recovery';
import { jobPlace, stepsFor } from './job-steps';

/** A running recovery job: its named steps and the whole job's progress. */
function RunningJob({ running }: { running: FollowedJob }) {
  const steps = stepsFor(running.job?.type);
  const { at, percent } = jobPlace(steps, running.job, running.progress);
  const op = running.progress?.current_operation ?? running.job?.current_operation ?? 'starting';
  return (
    <div data-testid="recovery-running" role="status" aria-live="polite">
      <p className="progress-line">
        <strong>{running.label}</strong> · {Math.round(percent)}% ·{' '}
        {steps[at]
          ? `step ${at + 1} of ${steps.length}: ${steps[at]!.label}`
          : op.replace(/_/g, ' ')}
      </p>
      {steps.length > 0 && <StepLine labels={steps.map((s) => s.label)} at={at} done={false} />}
      <div
        className="progress-track"
        role="progressbar"
        aria-label={running.label}
        aria-valuenow={Math.round(percent)}
        aria-valuemin={0}
        aria-valuemax={100}
      >
        <div className="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <p className="muted">
        Job {running.id}: {op.replace(/_/g, ' ')}. Closing Rigger now says what happens to it first.
      </p>
    </div>
  );
}

/** The recovery job running now (live progress), or how the last one ended. */
export function JobPanel() {
  const { running, ended } = useRecovery();
  if (running) return <RunningJob running={running} />;
  if (!ended?.job) return null;
  const ok = ended.job.status === 'success';
  return (
    <div
      className={`panel ${ok ? 'panel-info' : 'panel-error'}`}
      role="status"
      data-testid="recovery-result"
    >
      <p className="panel-title">
        <Icon name={ok ? 'check' : 'stop'} /> {ended.label}: {ok ? 'done' : ended.job.status}
      </p>
      {ended.job.error && <p>{ended.job.error}</p>}
      <p className="muted">Job {ended.id}</p>
      <button type="button" onClick={() => useRecovery.getState().clearEnded()}>
        Dismiss
      </button>
    </div>
  );
}
