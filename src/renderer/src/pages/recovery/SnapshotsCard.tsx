import { useState } from 'react';
import type { RecoveryStatus, SnapshotEntry } from '../../../../shared/recovery';
import { Dialog } from '../../components/Dialog';
import { useRecovery } from '../../stores/recovery';
import { formatSeedTime } from '../../../../shared/format/time';

/** The snapshots Rigger holds for this gateway: take one, restore one (after saying what changes). */
export function SnapshotsCard({
  gateway,
  status,
  busy,
}: {
  gateway: string;
  status: RecoveryStatus;
  busy: boolean;
}) {
  const [name, setName] = useState('manual');
  const [description, setDescription] = useState('');
  const [logs, setLogs] = useState(false);
  const [restoring, setRestoring] = useState<SnapshotEntry | null>(null);
  const [deleting, setDeleting] = useState<SnapshotEntry | null>(null);
  const o = status.recovery_options;
  return (
    <section className="card wide" aria-labelledby="snapshots-title">
      <h2 id="snapshots-title">Snapshots on this laptop</h2>
      <p className="muted">
        Kept: at most {o.max_snapshots} per gateway, for {o.snapshot_retention_days} days.
      </p>
      <form
        className="row snapshot-form"
        onSubmit={(e) => {
          e.preventDefault();
          void useRecovery.getState().snapshot(name.trim() || 'manual', description, logs);
        }}
      >
        <div className="field">
          <label htmlFor="snap-name">Name</label>
          <input id="snap-name" value={name} onChange={(e) => setName(e.target.value)} />
        </div>
        <div className="field grow">
          <label htmlFor="snap-desc">Description</label>
          <input
            id="snap-desc"
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
        </div>
        <label className="inline">
          <input type="checkbox" checked={logs} onChange={(e) => setLogs(e.target.checked)} />
          Include logs
        </label>
        <button type="submit" disabled={busy || !o.snapshot_enabled} data-testid="take-snapshot">
          Take a snapshot
        </button>
      </form>
      {status.snapshots.length === 0 ? (
        <p>No snapshots of {gateway} yet.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Taken (UTC)</th>
              <th scope="col">Name</th>
              <th scope="col">Version</th>
              <th scope="col">Size</th>
              <th scope="col">Holds</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {status.snapshots.map((s) => (
              <tr key={s.id} data-testid={`snapshot-${s.id}`}>
                <td>{formatSeedTime(s.timestamp)}</td>
                <td>
                  {s.name} <span className="muted">({s.type})</span>
                </td>
                <td>{s.version ?? 'unknown'}</td>
                <td>{s.size}</td>
                <td className="snapshot-paths">{s.includes.join(', ')}</td>
                <td className="actions">
                  <button type="button" disabled={busy} onClick={() => setRestoring(s)}>
                    Restore
                  </button>
                  <button type="button" disabled={busy} onClick={() => setDeleting(s)}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {deleting && (
        <Dialog
          title={`Delete snapshot ${deleting.name}?`}
          onClose={() => setDeleting(null)}
          tone="danger"
        >
          <p>
            The snapshot of {formatSeedTime(deleting.timestamp)} is removed from this laptop. The
            gateway is not touched.
          </p>
          <div className="actions dialog-actions">
            <button type="button" onClick={() => setDeleting(null)} data-autofocus>
              Keep it
            </button>
            <button
              type="button"
              className="danger"
              onClick={() => {
                const id = deleting.id;
                setDeleting(null);
                void useRecovery.getState().removeSnapshot(id);
              }}
            >
              Delete snapshot
            </button>
          </div>
        </Dialog>
      )}
      {restoring && (
        <Dialog
          title={`Restore ${restoring.name} onto ${gateway}?`}
          onClose={() => setRestoring(null)}
          tone="danger"
          testId="restore-dialog"
        >
          <p>
            These paths on {gateway} will be replaced by the snapshot of{' '}
            {formatSeedTime(restoring.timestamp)} ({restoring.version ?? 'version unknown'}):
          </p>
          <ul>
            {restoring.includes.map((p) => (
              <li key={p} className="fingerprint">
                {p}
              </li>
            ))}
          </ul>
          <p>
            Files added since then are removed. The snapshot is checked first; each path is proven
            before it replaces the live one.
          </p>
          <div className="actions dialog-actions">
            <button type="button" onClick={() => setRestoring(null)} data-autofocus>
              Cancel
            </button>
            <button
              type="button"
              className="danger"
              onClick={() => {
                const id = restoring.id;
                setRestoring(null);
                void useRecovery.getState().restore(id);
              }}
            >
              Replace and restore
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}
