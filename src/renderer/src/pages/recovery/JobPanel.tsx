import { Icon } from '../../components/Icon';
import { ProgressBar } from '../../components/ProgressBar';
import { useRecovery } from '../../stores/recovery';

/** The recovery job running now (live progress), or how the last one ended. */
export function JobPanel() {
  const { running, ended } = useRecovery();
  if (running) {
    return (
      <div data-testid="recovery-running">
        <ProgressBar label={running.label} event={running.progress} />
        <p className="muted">
          Job {running.id}: {running.job?.current_operation.replace(/_/g, ' ') ?? 'starting'}.
          Closing Rigger now says what happens to it first.
        </p>
      </div>
    );
  }
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
