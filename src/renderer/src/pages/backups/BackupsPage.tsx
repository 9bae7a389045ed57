import { useEffect, useState } from 'react';
import { ErrorPanel } from '../../components/ErrorPanel';
import { href } from '../../routing';
import { useBackups } from '../../stores/backups';
import { useGateways } from '../../stores/gateways';
import { BackupsTable } from './BackupsTable';
import { CreateBackupDialog } from './CreateBackupDialog';
import { OperationPanel } from './OperationPanel';
import { OverviewCards } from './OverviewCards';
import { ImportBackup } from './ImportBackup';
import { PlacesStats } from './PlacesStats';
import { TrustedSites } from './TrustedSites';
import { useBackupPlaces } from '../../stores/backup-places';
import { RecoveryDialog } from './RecoveryDialog';

/** Backups on this laptop: overview, the backups of a gateway, snapshots, disaster recovery. */
export function BackupsPage({ gateway }: { gateway?: string }) {
  const gateways = useGateways((s) => s.gateways);
  const { status, list, snapshots, error, operation, exported } = useBackups();
  const [creating, setCreating] = useState(false);
  const [recovering, setRecovering] = useState(false);
  useEffect(() => {
    void useGateways.getState().load();
    void useBackupPlaces.getState().load();
  }, []);
  useEffect(() => {
    void useBackups.getState().load(gateway ?? null);
  }, [gateway]);
  const busy = !!operation && !operation.outcome;
  return (
    <section className="page" aria-labelledby="page-title">
      <div className="page-head">
        <h1 id="page-title">Backups{gateway ? ` of ${gateway}` : ''}</h1>
        <label className="inline">
          Gateway
          <select
            value={gateway ?? ''}
            onChange={(e) => (window.location.hash = href('backup', e.target.value))}
            data-testid="backup-gateway"
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
        {gateway && (
          <button
            type="button"
            className="primary"
            disabled={busy}
            onClick={() => setCreating(true)}
            data-testid="create-backup"
          >
            Create backup…
          </button>
        )}
      </div>
      {error && <ErrorPanel error={error} title="That did not work" />}
      <OperationPanel />
      {exported && (
        <p className="panel panel-info" data-testid="backup-exported">
          Exported to <span className="fingerprint">{exported}</span>
        </p>
      )}
      {status && <OverviewCards status={status} snapshots={snapshots.length} />}
      {gateway && list && (
        <>
          <h2>Backups</h2>
          <BackupsTable
            backups={list.backups}
            busy={busy}
            onPreview={(id) => {
              setRecovering(true);
              void useBackups.getState().loadPreview(id, gateway);
            }}
          />
          <h2>Snapshots</h2>
          {snapshots.length ? (
            <ul data-testid="snapshots-list">
              {snapshots.map((s) => (
                <li key={String(s.id)}>
                  {s.name} · {s.created_at.slice(0, 19).replace('T', ' ')} · {s.size} ·{' '}
                  {s.components.join(', ')} {s.tags.length ? `[${s.tags.join(', ')}]` : ''}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">No snapshots yet.</p>
          )}
        </>
      )}
      {!gateway && <p className="muted">Choose a gateway to see and make its backups.</p>}
      <PlacesStats />
      <ImportBackup />
      <TrustedSites />
      {creating && gateway && (
        <CreateBackupDialog gateway={gateway} onClose={() => setCreating(false)} />
      )}
      {recovering && (
        <RecoveryDialog
          onClose={() => {
            setRecovering(false);
            useBackups.getState().clearPreview();
          }}
        />
      )}
    </section>
  );
}
