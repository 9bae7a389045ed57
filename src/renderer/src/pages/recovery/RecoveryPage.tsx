import { useEffect } from 'react';
import { ErrorPanel } from '../../components/ErrorPanel';
import { href } from '../../routing';
import { useGateways } from '../../stores/gateways';
import { useRecovery } from '../../stores/recovery';
import { FactoryResetCard } from './FactoryResetCard';
import { JobPanel } from './JobPanel';
import { RollbackCard } from './RollbackCard';
import { SnapshotsCard } from './SnapshotsCard';

/** Recovery over SSH: the recovery image, rollback, snapshots and restore, factory reset. */
export function RecoveryPage({ gateway }: { gateway?: string }) {
  const gateways = useGateways((s) => s.gateways);
  const { status, loading, error, running } = useRecovery();
  useEffect(() => {
    void useGateways.getState().load();
  }, []);
  useEffect(() => {
    if (gateway) void useRecovery.getState().load(gateway);
  }, [gateway]);
  const busy = !!running || loading;
  const image = status?.recovery_image;
  return (
    <section className="page" aria-labelledby="page-title">
      <div className="page-head">
        <h1 id="page-title">Recovery{gateway ? ` of ${gateway}` : ''}</h1>
        <label className="inline">
          Gateway
          <select
            value={gateway ?? ''}
            onChange={(e) => (window.location.hash = href('recovery', e.target.value))}
            data-testid="recovery-gateway"
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
      {!gateway && (
        <p className="muted">
          Choose a gateway reachable over SSH. A gateway that no longer answers is brought back from
          the Console.
        </p>
      )}
      {error && <ErrorPanel error={error} title="That did not work" />}
      <JobPanel />
      {gateway && loading && !status && <p>Reading the recovery state of {gateway}…</p>}
      {gateway && status && (
        <div className="cards">
          <RollbackCard gateway={gateway} status={status} busy={busy} />
          <section className="card" aria-labelledby="recovery-image-title">
            <h2 id="recovery-image-title">Recovery image</h2>
            {image?.present ? (
              <p>
                Present, {image.size ?? 'size unknown'}
                {image.version ? `, ${image.version}` : ''}.{' '}
                {image.checksum ? <span className="fingerprint">{image.checksum}</span> : null}
              </p>
            ) : (
              <p>No recovery slot on this gateway (or its profile names none).</p>
            )}
            <button
              type="button"
              disabled={!image?.present || busy}
              onClick={() => void useRecovery.getState().load(gateway, true)}
            >
              Compute its checksum (reads the whole slot)
            </button>
          </section>
          <SnapshotsCard gateway={gateway} status={status} busy={busy} />
          <FactoryResetCard gateway={gateway} status={status} busy={busy} />
        </div>
      )}
    </section>
  );
}
