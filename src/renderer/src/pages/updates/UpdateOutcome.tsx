import { Icon } from '../../components/Icon';
import { href } from '../../routing';
import { useUpdates, type Running } from '../../stores/updates';
import { outcomeOf } from './update-view';

/** The end, in plain words: committed, rolled back and why, or what to do next. */
export function Outcome({ run }: { run: Running }) {
  const v = outcomeOf(run.gateway, run.version, run.outcome!, run.progress, run.message);
  if (v.kind === 'committed') {
    return (
      <div className="panel panel-info" role="status" data-testid="update-result">
        <p className="panel-title">
          <Icon name="check" /> {v.title}
        </p>
        <div className="actions">
          <button type="button" onClick={() => useUpdates.getState().dismiss()}>
            Done
          </button>
          <a className="button" href={href('history', run.gateway)}>
            History of {run.gateway}
          </a>
        </div>
      </div>
    );
  }
  const tone = v.kind === 'cancelled' ? 'panel-warn' : 'panel-error';
  return (
    <div className={`panel ${tone}`} role="alert" data-testid="update-result">
      <p className="panel-title">
        <Icon
          name={v.kind === 'cancelled' ? 'cross' : v.kind === 'rolled_back' ? 'warn' : 'stop'}
        />{' '}
        {v.title}
      </p>
      {v.reason && <p>{v.reason}</p>}
      {v.actions.length > 0 && (
        <>
          <p>What to do next:</p>
          <ul>
            {v.actions.map((a) => (
              <li key={a}>{a}</li>
            ))}
          </ul>
        </>
      )}
      {v.code && <p className="muted">Code {v.code}</p>}
      {run.resumable && (
        <p data-testid="resume-hint">
          Resume goes on from the last checkpoint {run.gateway} proves it holds
          {run.installOpts ? `, then installs ${run.version} as asked` : ''}.
        </p>
      )}
      <div className="actions">
        {run.resumable && (
          <button
            type="button"
            className="primary"
            onClick={() => void useUpdates.getState().resumeFailed()}
          >
            Resume
          </button>
        )}
        {v.console && (
          <a className="button primary" href={href('console')} data-testid="open-console">
            Open the serial console
          </a>
        )}
        <button type="button" onClick={() => useUpdates.getState().dismiss()}>
          Close
        </button>
      </div>
    </div>
  );
}
