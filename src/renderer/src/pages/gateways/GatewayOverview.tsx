import { useEffect, useState } from 'react';
import { ErrorPanel } from '../../components/ErrorPanel';
import { StatusWord } from '../../components/StatusWord';
import { connectionLine, shown } from '../../format';
import { href } from '../../routing';
import { selectGateway, useGateways } from '../../stores/gateways';
import { selectStatus, useStatus } from '../../stores/status';
import { HostKeyDialog } from './HostKeyDialog';
import { SlotCard } from './SlotCard';

const ACTIONS = ['Update', 'Roll back', 'Recover', 'Back up', 'Debug bundle'];

/** One gateway: the health card first, then identity and system figures, then the actions. */
export function GatewayOverview({ name }: { name: string }) {
  const gateway = useGateways(selectGateway(name));
  const loaded = useGateways((s) => s.loaded);
  const { status, loading, error } = useStatus(selectStatus(name));
  const [keyDialogDismissed, setKeyDialogDismissed] = useState(false);

  useEffect(() => {
    if (gateway) void useStatus.getState().refresh(name);
  }, [name, gateway?.id]); // eslint-disable-line react-hooks/exhaustive-deps

  if (!gateway) {
    return (
      <section className="page">
        <h1>{name}</h1>
        {loaded && (
          <p>
            No gateway named {name}. <a href={href('gateways')}>Back to the gateways</a>
          </p>
        )}
      </section>
    );
  }
  const keyError =
    error && (error.code === 'HOST_KEY_UNKNOWN' || error.code === 'HOST_KEY_CHANGED')
      ? error
      : null;
  const booted = status?.partitions.active.id ?? null;
  const slotOf = (s: 'A' | 'B') =>
    status?.partitions.active.id === s
      ? status.partitions.active
      : status?.partitions.inactive.id === s
        ? status.partitions.inactive
        : null;
  const sys = status?.system;
  const g = status?.gateway;

  return (
    <section className="page" aria-labelledby="page-title">
      <div className="page-head">
        <h1 id="page-title">{name}</h1>
        <button
          onClick={() => (setKeyDialogDismissed(false), void useStatus.getState().refresh(name))}
          disabled={loading}
          className="primary"
        >
          {loading ? 'Reading…' : 'Refresh'}
        </button>
      </div>
      <p className="muted">
        {connectionLine(gateway.connection)} · profile {gateway.profile}
        {status && <> · checked {new Date(status.checked_at).toLocaleTimeString()}</>}
      </p>
      {error && !keyError && <ErrorPanel error={error} title={`Cannot read ${name}`} />}
      {keyError && keyDialogDismissed && (
        <ErrorPanel error={keyError} title="Not connected: host key not trusted" />
      )}
      {keyError && !keyDialogDismissed && (
        <HostKeyDialog
          name={name}
          error={keyError}
          onCancel={() => setKeyDialogDismissed(true)}
          onTrust={(fp) => void useStatus.getState().trustKey(name, fp)}
        />
      )}
      {status && status.warnings.length > 0 && (
        <div className="panel panel-warn" role="status" data-testid="warnings">
          <p className="panel-title">
            <span aria-hidden="true">⚠ </span>
            {status.warnings.length === 1 ? 'Warning' : `${status.warnings.length} warnings`}
          </p>
          <ul>
            {status.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      )}
      {status && (
        <>
          <div className="health-card" aria-label="Health">
            <div className="health-summary">
              <StatusWord status={status.status} /> via {status.connection.type.toUpperCase()} ·
              boot scheme {shown(status.boot?.scheme)} ·{' '}
              {status.boot?.upgrade_pending
                ? 'update on trial, not committed'
                : status.boot?.upgrade_pending === false
                  ? 'committed'
                  : 'commit state unknown'}
            </div>
            <div className="slots">
              <SlotCard
                slot="A"
                partition={slotOf('A')}
                boot={status.boot}
                booted={booted === 'A'}
              />
              <SlotCard
                slot="B"
                partition={slotOf('B')}
                boot={status.boot}
                booted={booted === 'B'}
              />
            </div>
          </div>
          <div className="columns">
            <section aria-labelledby="identity">
              <h2 id="identity">Identity</h2>
              <dl className="facts">
                {(
                  [
                    ['Gateway', g?.name && g?.id ? `${g.name} (${g.id})` : null],
                    ['Model', g?.model],
                    ['Serial number', g?.serial_number],
                    ['Hardware revision', g?.hardware_revision],
                    ['OS version', g?.os_version],
                    ['Kernel', g?.kernel],
                    ['Bootloader', g?.bootloader],
                    ['Uptime', g?.uptime],
                    ['Last OTA', g?.last_ota],
                  ] as const
                ).map(([k, v]) => (
                  <div key={k} className="fact">
                    <dt>{k}</dt>
                    <dd>{shown(v)}</dd>
                  </div>
                ))}
              </dl>
            </section>
            <section aria-labelledby="system">
              <h2 id="system">System</h2>
              <dl className="facts">
                {(
                  [
                    ['CPU', shown(sys?.cpu_usage, ' %')],
                    ['Memory', shown(sys?.memory_usage, ' %')],
                    ['Disk (data)', shown(sys?.disk_usage, ' %')],
                    ['Temperature', shown(sys?.temperature, ' °C')],
                    ['Network', shown(sys?.network_status)],
                    [
                      'Auto rollback',
                      shown(
                        status.partitions.auto_rollback === null
                          ? null
                          : status.partitions.auto_rollback
                            ? 'armed'
                            : 'off',
                      ),
                    ],
                    ['Rollback retries', shown(status.partitions.rollback_retries)],
                  ] as const
                ).map(([k, v]) => (
                  <div key={k} className="fact">
                    <dt>{k}</dt>
                    <dd>{v}</dd>
                  </div>
                ))}
              </dl>
            </section>
          </div>
        </>
      )}
      <section aria-labelledby="actions-title">
        <h2 id="actions-title">Actions</h2>
        <div className="actions big">
          {ACTIONS.map((a) => (
            <button key={a} disabled aria-describedby="actions-why">
              {a}
            </button>
          ))}
        </div>
        <p id="actions-why" className="muted">
          Not available yet in this version of Rigger.
        </p>
      </section>
    </section>
  );
}
