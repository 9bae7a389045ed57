import { useEffect } from 'react';
import { ErrorPanel } from '../../components/ErrorPanel';
import { Icon } from '../../components/Icon';
import { href } from '../../routing';
import { useGateways } from '../../stores/gateways';
import { FOLLOW_EVERY_MS, useLogs } from '../../stores/logs';
import { LEVEL_LOOK, LEVELS } from './level-look';
import { LogFilters } from './LogFilters';
import { LogList } from './LogList';
import { formatClock } from '../../../../shared/format/time';

/** A gateway's logs next to Rigger's own record of it: filters, counts, follow. */
export function LogsPage({ gateway }: { gateway?: string }) {
  const gateways = useGateways((s) => s.gateways);
  const { lines, answer, loading, follow, fetchedAt, error } = useLogs();
  useEffect(() => {
    void useGateways.getState().load();
  }, []);
  useEffect(() => {
    if (gateway) void useLogs.getState().open(gateway);
    return () => useLogs.getState().setFollow(false);
  }, [gateway]);

  return (
    <section className="page" aria-labelledby="page-title">
      <div className="page-head">
        <h1 id="page-title">Logs{gateway ? ` of ${gateway}` : ''}</h1>
        <label className="inline">
          Gateway
          <select
            value={gateway ?? ''}
            onChange={(e) => (window.location.hash = href('logs', e.target.value))}
            data-testid="logs-gateway"
          >
            <option value="" disabled>
              Choose a gateway
            </option>
            {gateways.map((g) => (
              <option key={g.name} value={g.name}>
                {g.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      {!gateway ? (
        <p className="muted">
          Choose a gateway: its log files (and journalctl where it has one) are read over SSH and
          merged with what Rigger did to it.
        </p>
      ) : (
        <>
          <LogFilters />
          <div className="log-bar">
            <p className="log-counts" aria-live="polite">
              {answer
                ? `${lines.length.toLocaleString()} shown of ${answer.filtered.toLocaleString()} matching, ${answer.total.toLocaleString()} in all.`
                : loading
                  ? 'Reading the logs…'
                  : ' '}
              {answer &&
                LEVELS.map((l) => (
                  <span key={l} className={`chip ${LEVEL_LOOK[l].className}`}>
                    <Icon name={LEVEL_LOOK[l].icon} /> {answer.levels[l].toLocaleString()} {l}
                  </span>
                ))}
            </p>
            <label className="inline">
              <input
                type="checkbox"
                checked={follow}
                onChange={(e) => useLogs.getState().setFollow(e.target.checked)}
                data-testid="logs-follow"
              />
              Follow (re-read every {FOLLOW_EVERY_MS / 1000} s, newest line kept in view)
            </label>
            <button
              type="button"
              onClick={() => void useLogs.getState().refresh()}
              disabled={loading}
            >
              <Icon name="sync" /> {loading ? 'Reading…' : 'Read again'}
            </button>
          </div>
          {fetchedAt && <p className="muted">Read at {formatClock(fetchedAt)}.</p>}
          {error && <ErrorPanel error={error} title="The logs could not be read" />}
          {answer && answer.unreadable.length > 0 && (
            <div className="panel panel-warn" role="status">
              <p className="panel-title">
                <Icon name="warn" /> Some log files could not be read; the rest are shown
              </p>
              <ul>
                {answer.unreadable.map((u) => (
                  <li key={u.path}>
                    <span className="fingerprint">{u.path}</span>: {u.reason}
                  </li>
                ))}
              </ul>
            </div>
          )}
          <LogList lines={lines} follow={follow} />
        </>
      )}
    </section>
  );
}
