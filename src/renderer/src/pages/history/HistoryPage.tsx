import { useEffect, useMemo } from 'react';
import { ErrorPanel } from '../../components/ErrorPanel';
import { Icon } from '../../components/Icon';
import { href } from '../../routing';
import { useGateways } from '../../stores/gateways';
import { useHistory } from '../../stores/history';
import { HistoryChart } from './HistoryChart';
import { perDay } from './history-view';
import { formatSeedTime } from '../../../../shared/format/time';

/** Past updates and rollbacks: the statistics, a chart per day, and every entry in words. */
export function HistoryPage({ gateway }: { gateway?: string }) {
  const gateways = useGateways((s) => s.gateways);
  const { history, error } = useHistory();
  useEffect(() => {
    void useGateways.getState().load();
  }, []);
  useEffect(() => {
    void useHistory.getState().load(gateway ?? null);
  }, [gateway]);
  const series = useMemo(() => (history ? perDay(history.history) : null), [history]);
  const st = history?.statistics;
  return (
    <section className="page" aria-labelledby="page-title">
      <div className="page-head">
        <h1 id="page-title">History{gateway ? ` of ${gateway}` : ''}</h1>
        <label className="inline">
          Gateway
          <select
            value={gateway ?? ''}
            onChange={(e) =>
              (window.location.hash = e.target.value
                ? href('history', e.target.value)
                : href('history'))
            }
            data-testid="history-gateway"
          >
            <option value="">All gateways</option>
            {gateways.map((g) => (
              <option key={g.name} value={g.name}>
                {g.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error && <ErrorPanel error={error} title="The history could not be read" />}
      {st && (
        <dl className="facts stats" data-testid="history-stats">
          <div className="fact">
            <dt>Updates</dt>
            <dd>{st.total_updates}</dd>
          </div>
          <div className="fact">
            <dt>Success rate</dt>
            <dd>{st.success_rate}</dd>
          </div>
          <div className="fact">
            <dt>Average duration</dt>
            <dd>{st.average_duration}</dd>
          </div>
          <div className="fact">
            <dt>Last success</dt>
            <dd>{st.last_success ?? 'none'}</dd>
          </div>
          <div className="fact">
            <dt>Last failure</dt>
            <dd>{st.last_failure ?? 'none'}</dd>
          </div>
        </dl>
      )}
      {series && series.labels.length > 0 && <HistoryChart data={series} />}
      {history && history.history.length === 0 && <p>No updates recorded yet.</p>}
      {history && history.history.length > 0 && (
        <table className="table" data-testid="history-table">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Gateway</th>
              <th scope="col">Version</th>
              <th scope="col">Result</th>
              <th scope="col">Slot</th>
              <th scope="col">Took</th>
              <th scope="col">By</th>
            </tr>
          </thead>
          <tbody>
            {history.history.map((h) => (
              <tr key={h.id}>
                <td>{formatSeedTime(`${h.date} ${h.time}`)}</td>
                <td>{h.gateway}</td>
                <td>
                  {h.version} <span className="muted">{h.type ?? ''}</span>
                </td>
                <td>
                  <span
                    className={`status status-${h.status === 'success' ? 'ok' : h.rollback ? 'warn' : h.status === 'failed' ? 'bad' : 'muted'}`}
                  >
                    <Icon
                      name={
                        h.status === 'success'
                          ? 'check'
                          : h.rollback
                            ? 'warn'
                            : h.status === 'failed'
                              ? 'stop'
                              : 'cross'
                      }
                    />{' '}
                    {h.status === 'success' ? 'committed' : h.rollback ? 'rolled back' : h.status}
                  </span>
                  {h.error && <div className="job-error">{h.error}</div>}
                </td>
                <td>{h.partition}</td>
                <td>{h.duration}</td>
                <td>{h.initiated_by}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
