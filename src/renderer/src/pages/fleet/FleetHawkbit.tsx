import { useEffect, useState } from 'react';
import { ErrorPanel } from '../../components/ErrorPanel';
import { StatusWord } from '../../components/StatusWord';
import { useHawkbit } from '../../stores/hawkbit';
import { HawkbitRolloutView } from '../hawkbit/HawkbitRolloutView';
import { HawkbitSetup } from './HawkbitSetup';

/** What the hawkBit server wants installed, the reports still to send, and the sync button. */
export function FleetHawkbit() {
  const { status, lastSync, syncing, error } = useHawkbit();
  const [setup, setSetup] = useState(false);
  useEffect(() => {
    void useHawkbit.getState().load();
  }, []);
  if (!status && !error) return null;
  const configured = !!status?.config.url;
  const managementSet =
    !!status?.config.management_user && status.config.management_password !== 'missing';
  return (
    <section aria-labelledby="fleet-hawkbit" data-testid="fleet-hawkbit">
      <div className="page-head">
        <h2 id="fleet-hawkbit">hawkBit</h2>
        <div>
          <button type="button" onClick={() => setSetup(!setup)} data-testid="hawkbit-setup-open">
            {configured ? 'Change the setup' : 'Set up hawkBit'}
          </button>{' '}
          {configured && (
            <button
              type="button"
              disabled={syncing}
              onClick={() => void useHawkbit.getState().sync()}
              data-testid="hawkbit-sync"
            >
              {syncing ? 'Syncing…' : 'Sync with hawkBit'}
            </button>
          )}
        </div>
      </div>
      {setup && <HawkbitSetup onDone={() => setSetup(false)} />}
      {!configured && !setup && (
        <p>No hawkBit server is set up: Rigger can carry its assignments to the cranes.</p>
      )}
      {error && <ErrorPanel error={error} title="hawkBit could not be reached" />}
      {status && configured && (
        <p data-testid="hawkbit-connection">
          {status.config.url}, tenant {status.config.tenant}; gateway token:{' '}
          {status.config.gateway_token}
          {status.config.management_user
            ? `; Management API user ${status.config.management_user} (password ${status.config.management_password})`
            : ''}
        </p>
      )}
      {lastSync && (
        <ul data-testid="hawkbit-last-sync">
          {lastSync.gateways.map((g) => (
            <li key={g.gateway}>
              {g.gateway} ({g.controller_id}):{' '}
              {g.ok ? `synced, ${g.sent.length} report(s) sent` : `failed: ${g.error?.message}`}
              {g.warnings.map((w) => (
                <div key={w} className="muted">
                  {w}
                </div>
              ))}
            </li>
          ))}
        </ul>
      )}
      {status && configured && status.assignments.length === 0 && (
        <p>hawkBit wants nothing installed.</p>
      )}
      {status && status.assignments.length > 0 && (
        <ul data-testid="hawkbit-assignments">
          {status.assignments.map((a) => (
            <li key={`${a.controller_id}/${a.action_id}`}>
              {a.summary}: <StatusWord status={a.state === 'canceled' ? 'cancelled' : a.state} />
              {a.cancel_requested && <span> (hawkBit asked to cancel it)</span>}
              {a.problem && <div className="muted">{a.problem}</div>}
              <HawkbitRolloutView a={a} managementSet={managementSet} />
            </li>
          ))}
        </ul>
      )}
      {status && status.pending.length > 0 && (
        <p data-testid="hawkbit-pending">
          {status.pending.length} report(s) wait for the next sync
          {status.pending.some((p) => p.not_reported) ? ', some cannot be sent yet' : ''}.
        </p>
      )}
    </section>
  );
}
