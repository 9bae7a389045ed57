import { useEffect } from 'react';
import { useBackupPlaces } from '../../stores/backup-places';

/**
 * Toasts for what finished or failed while Rigger ran (scheduled backups, syncs, storage
 * alerts, imports), and a running import's progress. Mounted once, beside every page.
 */
export function BackupToasts() {
  const { toasts, importing } = useBackupPlaces();
  useEffect(() => useBackupPlaces.getState().listen(), []);
  return (
    <div className="toasts" role="status" aria-live="polite" data-testid="toasts">
      {importing && (
        <p className="toast toast-info" data-testid="import-progress">
          Importing {importing.import_id}: {importing.progress}% · {importing.current_step}
          {importing.data_transferred ? ` · ${importing.data_transferred}` : ''}
          {importing.speed ? ` at ${importing.speed}` : ''} · ETA {importing.eta}
        </p>
      )}
      {toasts.map((t) => (
        <p key={t.id} className={`toast toast-${t.tone}`} data-testid="toast">
          {t.text}
          <button
            type="button"
            aria-label="Dismiss"
            onClick={() => useBackupPlaces.getState().dismiss(t.id)}
          >
            ×
          </button>
        </p>
      ))}
    </div>
  );
}
