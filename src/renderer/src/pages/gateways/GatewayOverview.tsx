import { useEffect, useState } from 'react';
import { ErrorPanel } from '../../components/ErrorPanel';
import { WarningsPanel } from '../../components/WarningsPanel';
import { connectionLine, connectionTarget } from '../../format';
import { href } from '../../routing';
import { selectGateway, useGateways } from '../../stores/gateways';
import { useLastGateway } from '../../stores/last-gateway';
import { useOffers } from '../../stores/offers';
import { selectStatus, useStatus } from '../../stores/status';
import { selectKeyPromptDismissed, useUi } from '../../stores/ui';
import { HawkbitAssignments } from '../hawkbit/HawkbitAssignments';
import { GatewayActions } from './GatewayActions';
import { GatewayFacts } from './GatewayFacts';
import { GatewayFormDialog } from './GatewayFormDialog';
import { GatewayTabs } from './GatewayTabs';
import { HealthCard } from './HealthCard';
import { isHostKeyError } from './host-key';
import { HostKeyChangedPanel } from './HostKeyChangedPanel';
import { HostKeyDialog } from './HostKeyDialog';
import { actionsBlocked, nextStep } from './next-step';
import { NextStepLine } from './NextStepLine';
import { formatClock, formatDateTime } from '../../../../shared/format/time';

/** One gateway: the health card first, then identity and system figures, then the actions. */
export function GatewayOverview({ name }: { name: string }) {
  const gateway = useGateways(selectGateway(name));
  const loaded = useGateways((s) => s.loaded);
  const { status, loading, error } = useStatus(selectStatus(name));
  const keyPromptDismissed = useUi(selectKeyPromptDismissed(name));
  const exists = !!gateway;
  const offers = useOffers((s) => s.byName[name]);
  const reachable = !!status && !error;
  const [editing, setEditing] = useState(false);

  // Opening a gateway (Connect) reads its state; the store shares a read already running.
  useEffect(() => {
    if (!exists) return;
    useLastGateway.getState().use(name);
    void useStatus.getState().refresh(name);
  }, [name, exists]);
  // What the library offers is read once the gateway answered (its version decides).
  useEffect(() => {
    if (reachable) void useOffers.getState().load(name);
  }, [name, reachable]);

  if (!gateway) {
    return (
      <section className="page" aria-labelledby="page-title">
        <h1 id="page-title" tabIndex={-1}>
          {name}
        </h1>
        {loaded ? (
          <p>
            Rigger knows no gateway named {name}.{' '}
            <a href={href('gateways')}>Back to the gateways</a>
          </p>
        ) : (
          <p className="muted">Loading…</p>
        )}
      </section>
    );
  }

  const refresh = () => {
    if (loading) return;
    useUi.getState().showKeyPrompt(name);
    void useStatus.getState().refresh(name);
  };
  const trust = (fingerprint: string) => void useStatus.getState().trustKey(name, fingerprint);
  const keyError = isHostKeyError(error) ? error : null;
  const where = connectionTarget(gateway.connection);

  return (
    <section className="page" aria-labelledby="page-title" aria-busy={loading}>
      <nav aria-label="Breadcrumb" className="crumbs">
        <a href={href('gateways')}>Gateways</a> <span aria-hidden="true">›</span> {name}
      </nav>
      <div className="page-head">
        <h1 id="page-title" tabIndex={-1}>
          {name}
        </h1>
        <div className="refresh">
          <span className="muted" data-testid="checked-at" aria-live="polite">
            {loading
              ? 'Reading the gateway…'
              : error
                ? status
                  ? `Refresh failed; last checked at ${formatClock(status.checked_at)}`
                  : 'Not connected'
                : status
                  ? `Checked at ${formatClock(status.checked_at)}`
                  : 'Not checked yet'}
          </span>
          <button
            type="button"
            className="primary"
            onClick={refresh}
            // aria-disabled, not disabled: a disabled button drops the keyboard focus to <body>.
            aria-disabled={loading || undefined}
            aria-busy={loading}
            data-testid="refresh-status"
            title={status ? `Last checked ${formatDateTime(status.checked_at)}` : undefined}
          >
            {loading && <span className="spinner" aria-hidden="true" />}
            Refresh
          </button>
          <button type="button" onClick={() => setEditing(true)} data-testid="edit-gateway">
            Edit
          </button>
        </div>
      </div>
      <p className="connection-line" data-testid="connection-line">
        {status && !error
          ? `Connected over ${status.connection.type === 'ssh' ? 'SSH' : 'the serial console'} to ${status.connection.target}`
          : connectionLine(gateway.connection)}{' '}
        · profile {gateway.profile}
      </p>
      <GatewayTabs name={name} current="" />

      {error && !keyError && (
        <ErrorPanel error={error} title={`Cannot read ${name}`} testId="status-error">
          {error.code === 'AUTH_FAILED' && (
            <button type="button" onClick={() => setEditing(true)}>
              Edit the login of {name}
            </button>
          )}
        </ErrorPanel>
      )}
      {editing && (
        <GatewayFormDialog
          editing={gateway}
          onClose={() => {
            setEditing(false);
            void useStatus.getState().refresh(name);
          }}
        />
      )}
      {keyError?.code === 'HOST_KEY_UNKNOWN' &&
        (keyPromptDismissed ? (
          <ErrorPanel error={keyError} title="Not connected: the host key is not trusted yet">
            <button type="button" onClick={() => useUi.getState().showKeyPrompt(name)}>
              Review the host key
            </button>
          </ErrorPanel>
        ) : (
          <HostKeyDialog
            name={name}
            fallbackWhere={where}
            error={keyError}
            busy={loading}
            onTrust={trust}
            onCancel={() => useUi.getState().dismissKeyPrompt(name)}
          />
        ))}
      {keyError?.code === 'HOST_KEY_CHANGED' && (
        <HostKeyChangedPanel name={name} error={keyError} busy={loading} onReplace={trust} />
      )}

      {status && <WarningsPanel warnings={status.warnings} />}
      {/* What to do next and the actions before the slot details: above the fold on a small
          laptop; the page head and the connection line above already say the state. */}
      <NextStepLine name={name} step={nextStep(name, status, error, offers)} />
      <GatewayActions
        name={name}
        onConsole={gateway?.connection.type === 'serial'}
        blocked={actionsBlocked(name, error)}
      />
      <HawkbitAssignments gateway={name} page="gateway" />
      {status && <HealthCard status={status} stale={!!error} />}
      {status ? (
        <GatewayFacts status={status} />
      ) : (
        !error &&
        loading && (
          <p className="panel panel-info" role="status">
            Connecting to {where} and reading the slots…
          </p>
        )
      )}
    </section>
  );
}
