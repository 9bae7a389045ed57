import { useEffect } from 'react';
import { ErrorPanel } from '../../components/ErrorPanel';
import { StatusWord } from '../../components/StatusWord';
import { useFleet } from '../../stores/fleet';
import { FleetAlertLog } from './FleetAlertLog';
import { FleetHawkbit } from './FleetHawkbit';
import { FleetTelemetry } from './FleetTelemetry';
import { waveSummary } from './fleet-view';

/** The site fleet: devices, rollouts as waves, a device's telemetry, and the alert rules. */
export function FleetPage() {
  const { devices, rollouts, alerts, error } = useFleet();
  useEffect(() => {
    void useFleet.getState().load();
  }, []);
  return (
    <section className="page" aria-labelledby="page-title">
      <div className="page-head">
        <h1 id="page-title">Fleet</h1>
        <button type="button" onClick={() => void useFleet.getState().load()}>
          Refresh
        </button>
      </div>
      {error && <ErrorPanel error={error} title="The fleet could not be read" />}
      <h2>Devices</h2>
      {devices.length === 0 ? (
        <p>No devices yet: add a gateway, or register a device.</p>
      ) : (
        <table className="table" data-testid="fleet-devices">
          <thead>
            <tr>
              <th scope="col">Device</th>
              <th scope="col">Type</th>
              <th scope="col">Status</th>
              <th scope="col">Firmware</th>
              <th scope="col">Last seen</th>
              <th scope="col">Alert rules</th>
            </tr>
          </thead>
          <tbody>
            {devices.map((d) => (
              <tr key={d.device_id}>
                <td>
                  {d.name} <span className="muted">{d.device_id}</span>
                </td>
                <td>
                  {d.device_type}
                  {d.source === 'node' && d.gateway && (
                    <span className="muted"> node behind {d.gateway}</span>
                  )}
                </td>
                <td>
                  <StatusWord status={d.status} />
                </td>
                <td>{d.firmware_version ?? 'unknown'}</td>
                <td>{d.last_seen ?? 'never'}</td>
                <td>
                  {
                    alerts.filter(
                      (a) =>
                        a.device_id === d.device_id ||
                        a.device_type === d.device_type ||
                        (!a.device_id && !a.device_type),
                    ).length
                  }
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Rollouts</h2>
      {rollouts.length === 0 && <p>No rollouts.</p>}
      {rollouts.map((r) => (
        <article key={r.rollout_id} className="panel" data-testid="fleet-rollout">
          <h3>
            {r.target_version} to {r.device_type}: <StatusWord status={r.status} />
          </h3>
          {r.paused_reason && <p>Paused: {r.paused_reason}</p>}
          <ol>
            {r.waves.map((w) => (
              <li key={w.index}>
                Wave {w.index + 1}: <StatusWord status={w.status} /> ({waveSummary(w.targets)})
                <ul>
                  {w.targets.map((t) => (
                    <li key={t.device_id}>
                      {t.device_id}: <StatusWord status={t.status} />
                      {t.reason && <span className="muted"> {t.reason}</span>}
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ol>
        </article>
      ))}
      <FleetHawkbit />
      <FleetTelemetry />
      <h2>Alert rules</h2>
      {alerts.length === 0 ? (
        <p>No alert rules.</p>
      ) : (
        <table className="table" data-testid="fleet-alerts">
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col">Condition</th>
              <th scope="col">Applies to</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {alerts.map((a) => (
              <tr key={a.id}>
                <td>{a.name}</td>
                <td>
                  {a.condition.metric} {a.condition.operator} {a.condition.threshold}
                  {a.condition.duration_seconds ? ` for ${a.condition.duration_seconds} s` : ''}
                </td>
                <td>{a.device_id ?? a.device_type ?? 'every device'}</td>
                <td>{a.actions.map((x) => x.type).join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <FleetAlertLog />
    </section>
  );
}
