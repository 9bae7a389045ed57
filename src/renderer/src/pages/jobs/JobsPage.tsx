import { useEffect, useState } from 'react';
import { formatClock, formatSeedTime, parseSeedTime } from '../../../../shared/format/time';
import { ACTIVE_STATUSES, type Job } from '../../../../shared/jobs';
import { Dialog } from '../../components/Dialog';
import { ErrorPanel } from '../../components/ErrorPanel';
import { Icon } from '../../components/Icon';
import { href } from '../../routing';
import { useGateways } from '../../stores/gateways';
import { useJobs, type JobFilter } from '../../stores/jobs';
import '../../styles/jobs.css';
import { jobName } from '../../../../shared/format/job-name';
import { jobKind, jobLook } from './job-look';

const FILTERS: Array<[JobFilter, string]> = [
  ['all', 'All'],
  ['active', 'Running'],
  ['interrupted', 'Interrupted'],
  ['failed', 'Failed'],
  ['completed', 'Finished'],
];

/** Everything running and recent, across gateways: live progress, cancel, resume. */
export function JobsPage() {
  const { jobs, summary, filter, gateway, loaded, loadError, error, notice } = useJobs();
  const gateways = useGateways((s) => s.gateways);
  const [cancelling, setCancelling] = useState<Job | null>(null);
  useEffect(() => useJobs.getState().watch(), []);
  useEffect(() => {
    void useGateways.getState().load();
  }, []);
  const interrupted = jobs.filter((j) => j.status === 'interrupted').length;
  return (
    <section className="page" aria-labelledby="page-title">
      <div className="page-head">
        <h1 id="page-title">Jobs</h1>
        <div className="row">
          <label className="inline">
            Gateway
            <select
              value={gateway ?? ''}
              onChange={(e) => void useJobs.getState().setGateway(e.target.value || null)}
              data-testid="jobs-gateway"
            >
              <option value="">All gateways</option>
              {gateways.map((g) => (
                <option key={g.name} value={g.name}>
                  {g.name}
                </option>
              ))}
            </select>
          </label>
          <label className="inline">
            Show
            <select
              value={filter}
              onChange={(e) => void useJobs.getState().setFilter(e.target.value as JobFilter)}
              data-testid="jobs-filter"
            >
              {FILTERS.map(([v, l]) => (
                <option key={v} value={v}>
                  {l}
                </option>
              ))}
            </select>
          </label>
        </div>
      </div>
      {summary && (
        <p className="muted" data-testid="jobs-summary">
          {summary.active} running, {summary.pending} waiting, {summary.completed_today} finished
          today, {summary.failed_today} failed today.
        </p>
      )}
      {interrupted > 0 && (
        <p className="panel panel-warn" role="status" data-testid="jobs-interrupted">
          <Icon name="warn" /> {interrupted} {interrupted === 1 ? 'job was' : 'jobs were'}{' '}
          interrupted (Rigger closed, or the link or the laptop went away). Nothing was switched by
          them; Resume continues from the last step the gateway proves it holds.
        </p>
      )}
      {loadError && <ErrorPanel error={loadError} title="The jobs could not be read" />}
      {error && <ErrorPanel error={error} title="That did not work" />}
      {notice && (
        <p className="panel panel-info" role="status">
          {notice}
        </p>
      )}
      {loaded && jobs.length === 0 ? (
        <p>No jobs{filter === 'all' ? ' yet' : ' in this view'}.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Job</th>
              <th scope="col">Gateway</th>
              <th scope="col">What</th>
              <th scope="col">Status</th>
              <th scope="col">Progress</th>
              <th scope="col">Started</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {jobs.map((j) => {
              const look = jobLook(j.status);
              return (
                <tr key={j.id} data-testid={`job-${j.id}`}>
                  <td className="fingerprint">{j.id}</td>
                  <td>{j.gateway}</td>
                  <td>{jobName(j)}</td>
                  <td>
                    <span className={`status status-${look.tone}`}>
                      <Icon name={look.icon} /> {j.status.replace(/_/g, ' ')}
                    </span>
                    <div className="muted">{j.current_operation.replace(/_/g, ' ')}</div>
                    {j.error && <div className="job-error">{j.error}</div>}
                  </td>
                  <td>
                    <div
                      className="progress-track small"
                      role="progressbar"
                      aria-valuenow={j.progress}
                      aria-valuemin={0}
                      aria-valuemax={100}
                      aria-label={`${j.id} progress`}
                    >
                      <div className="progress-fill" style={{ width: `${j.progress}%` }} />
                    </div>
                    {j.progress}%
                    {j.estimated_completion && ACTIVE_STATUSES.includes(j.status)
                      ? ` · done by ${formatClock(parseSeedTime(j.estimated_completion))}`
                      : ''}
                  </td>
                  <td>{formatSeedTime(j.started)}</td>
                  <td>
                    <div className="actions-cell">
                      {j.status === 'downloaded' && j.type === 'update' && (
                        <a className="button primary" href={href('updates', j.gateway)}>
                          Install…
                        </a>
                      )}
                      {j.resumable && (
                        <button type="button" onClick={() => void useJobs.getState().resume(j.id)}>
                          Resume
                        </button>
                      )}
                      {j.cancelable && (
                        <button type="button" onClick={() => setCancelling(j)}>
                          Cancel…
                        </button>
                      )}
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {cancelling && (
        <Dialog
          title={`Cancel job ${cancelling.id}?`}
          onClose={() => setCancelling(null)}
          tone="danger"
          testId="cancel-dialog"
        >
          <p>
            {jobKind(cancelling.type, cancelling.subtype)} on <strong>{cancelling.gateway}</strong>{' '}
            stops now. The gateway keeps running its current slot; a slot being written stays
            unbootable until something is written to it again.
          </p>
          <div className="actions dialog-actions">
            <button type="button" onClick={() => setCancelling(null)} data-autofocus>
              Keep it running
            </button>
            <button
              type="button"
              className="danger"
              onClick={() => {
                const id = cancelling.id;
                setCancelling(null);
                void useJobs.getState().cancel(id, true);
              }}
            >
              Cancel the job
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}
