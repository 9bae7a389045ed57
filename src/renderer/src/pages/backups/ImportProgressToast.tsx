import { useEffect } from 'react';
import { useBackupPlaces } from '../../stores/backup-places';

/**
 * A running backup import's progress, among the toasts on every page. Mounting it also follows
 * the backup notifications that end as toasts (scheduled backups, syncs, storage alerts).
 */
export function ImportProgressToast() {
  const importing = useBackupPlaces((s) => s.importing);
  useEffect(() => useBackupPlaces.getState().listen(), []);
  if (!importing) return null;
  return (
    <div className="panel toast panel-info" role="status" data-testid="import-progress">
      <div className="panel-title">Importing {importing.import_id}</div>
      <p>
        {importing.progress}% · {importing.current_step}
        {importing.data_transferred ? ` · ${importing.data_transferred}` : ''}
        {importing.speed ? ` at ${importing.speed}` : ''} · ETA {importing.eta}
      </p>
    </div>
  );
}
