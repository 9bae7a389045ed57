import { useState } from 'react';
import { Dialog } from '../../components/Dialog';
import { Icon } from '../../components/Icon';
import { useBackups } from '../../stores/backups';

/**
 * The Disaster Recovery dialog: the computed preview first (what differs on the gateway), then
 * the gateway's name typed to confirm, and the PIN when the site's safety asks for one.
 */
export function RecoveryDialog({ onClose }: { onClose: () => void }) {
  const { preview, previewing } = useBackups();
  const [typed, setTyped] = useState('');
  const [pin, setPin] = useState('');
  const gateway = preview?.gateway ?? '';
  const p = preview?.value;
  const affected = p?.impact_analysis.components_affected ?? [];
  return (
    <Dialog title="Disaster recovery" onClose={onClose} tone="danger" testId="recovery-dialog">
      {previewing && <p>Comparing the backup with the gateway…</p>}
      {p && (
        <div data-testid="recovery-preview">
          <p>
            From <strong>{p.backup_name}</strong> onto <strong>{gateway}</strong>:{' '}
            {affected.length ? `${affected.join(', ')} will change` : 'nothing differs'}.
          </p>
          <p>
            Estimated downtime {p.impact_analysis.estimated_downtime}; data loss risk{' '}
            {p.impact_analysis.data_loss_risk}
            {p.impact_analysis.restart_required ? '; the gateway restarts' : ''}.
          </p>
          <ul>
            {p.warnings.map((w) => (
              <li key={w}>
                <Icon name="stop" /> {w}
              </li>
            ))}
            {p.recommendations.map((r) => (
              <li key={r} className="muted">
                {r}
              </li>
            ))}
          </ul>
          <p className="muted">A backup of what is there now is taken first.</p>
          <div className="field">
            <label htmlFor="rec-name">Type {gateway} to confirm</label>
            <input
              id="rec-name"
              autoComplete="off"
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              data-autofocus
            />
          </div>
          <div className="field">
            <label htmlFor="rec-pin">PIN (only if the crane's safety asks for one)</label>
            <input
              id="rec-pin"
              type="password"
              autoComplete="off"
              value={pin}
              onChange={(e) => setPin(e.target.value)}
            />
          </div>
        </div>
      )}
      <div className="actions dialog-actions">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          className="danger"
          disabled={!p || typed !== gateway || !affected.length}
          data-testid="recovery-start"
          onClick={() => {
            const id = preview!.backup_id;
            onClose();
            void useBackups.getState().recover(id, pin || undefined);
          }}
        >
          Recover {gateway}
        </button>
      </div>
    </Dialog>
  );
}
