import { useEffect } from 'react';
import { ErrorPanel } from '../../components/ErrorPanel';
import { Icon } from '../../components/Icon';
import { href } from '../../routing';
import { useGateways } from '../../stores/gateways';
import { defaultGateway, useLastGateway } from '../../stores/last-gateway';
import { useStatus } from '../../stores/status';
import { useUpdates } from '../../stores/updates';
import { signatureLook } from '../images/signature-look';
import { HawkbitAssignments } from '../hawkbit/HawkbitAssignments';
import { PreflightDialog } from './PreflightDialog';
import { UpdateProgressView } from './UpdateProgressView';
import '../../styles/updates.css';
import { formatBytes } from '../../../../shared/format/bytes';
import { formatDateTime } from '../../../../shared/format/time';

/** Choose an image that fits → check → go; then the progress and a plain result. */
export function UpdatesPage({ gateway }: { gateway?: string }) {
  const gateways = useGateways((s) => s.gateways);
  const { check, checking, preflight, running, interrupted, error } = useUpdates();
  const last = useLastGateway((s) => s.name);
  const byName = useStatus((s) => s.byName);
  const connected = Object.keys(byName).filter((n) => byName[n]?.status && !byName[n]?.error);
  const name =
    gateway ??
    defaultGateway(
      gateways.map((g) => g.name),
      last,
      connected,
    );
  useEffect(() => {
    void useGateways.getState().load();
  }, []);
  useEffect(() => {
    if (!name) return;
    useLastGateway.getState().use(name);
    // An update still going (or written, or interrupted) on this gateway is shown first.
    void useUpdates.getState().attach(name);
    if (!useUpdates.getState().running) void useUpdates.getState().checkFor(name);
  }, [name]);
  const run = running && running.gateway === name ? running : null;
  const elsewhere = running && !run && !running.outcome ? running : null;
  return (
    <section className="page" aria-labelledby="page-title">
      <div className="page-head">
        <h1 id="page-title">Updates{name ? ` for ${name}` : ''}</h1>
        <label className="inline">
          Gateway
          <select
            value={name ?? ''}
            onChange={(e) => (window.location.hash = href('updates', e.target.value))}
            disabled={!!running && !running.outcome}
            data-testid="updates-gateway"
          >
            {gateways.map((g) => (
              <option key={g.name} value={g.name}>
                {g.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error && <ErrorPanel error={error} title="That did not work" />}
      {elsewhere && (
        <p className="panel panel-warn" role="status">
          <Icon name="warn" /> An update is running on {elsewhere.gateway}.{' '}
          <a href={href('updates', elsewhere.gateway)}>Follow it</a>
        </p>
      )}
      {run && <UpdateProgressView run={run} />}
      {name && <HawkbitAssignments gateway={name} page="updates" />}
      {!run && name && interrupted?.gateway === name && (
        <div className="panel panel-warn" data-testid="update-interrupted">
          <p className="panel-title">
            <Icon name="warn" /> An update of {name} was interrupted
          </p>
          <p>
            Job {interrupted.id} ({interrupted.update?.version ?? 'an image'}) stopped at{' '}
            {interrupted.current_operation.replace(/_/g, ' ')}, {interrupted.progress}% done, when
            Rigger or the link went away. The booted slot was not touched. Resume continues from the
            last step the gateway proves it holds.
          </p>
          <button
            type="button"
            className="primary"
            onClick={() => void useUpdates.getState().resumeInterrupted()}
          >
            Resume
          </button>
        </div>
      )}
      {!run && !elsewhere && name && (
        <>
          {checking && !check && <p>Reading {name} and the library…</p>}
          {check && (
            <p className="muted">
              {name} runs {check.gateway_version ?? 'an unknown version'} · channel {check.channel}{' '}
              · catalog refreshed{' '}
              {check.last_checked ? formatDateTime(check.last_checked) : 'never'}
            </p>
          )}
          {check && check.updates.length === 0 && (
            <p className="panel panel-info">
              Nothing newer fits this gateway. It is up to date with this laptop's library.
            </p>
          )}
          {check && check.updates.length > 0 && (
            <ul className="cards">
              {check.updates.map((u) => {
                const look = signatureLook(u.signature);
                const installable = u.downloaded && u.signature === 'verified';
                return (
                  <li key={u.id} className="card" data-testid={`update-${u.id}`}>
                    <h2>{u.version}</h2>
                    <p>
                      {u.type ?? 'image'} · {u.severity ?? 'unrated'} ·{' '}
                      {formatBytes(u.size * 1_000_000)}
                    </p>
                    <p>{u.description}</p>
                    <p className={`status status-${look.tone}`}>
                      <Icon name={look.icon} />{' '}
                      {u.downloaded
                        ? `signature ${u.signature}`
                        : 'in the catalog, not downloaded yet'}
                    </p>
                    <button
                      type="button"
                      className="primary"
                      disabled={!installable}
                      title={
                        installable
                          ? undefined
                          : 'Only a downloaded, verified image can be installed'
                      }
                      onClick={() => void useUpdates.getState().prepare(u)}
                    >
                      Install…
                    </button>
                    {!installable && (
                      <p className="muted">Download and verify it in Images first.</p>
                    )}
                  </li>
                );
              })}
            </ul>
          )}
        </>
      )}
      {preflight && name && <PreflightDialog gateway={name} pre={preflight} />}
    </section>
  );
}
