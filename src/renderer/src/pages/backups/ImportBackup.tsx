import { useState } from 'react';
import { ErrorPanel } from '../../components/ErrorPanel';
import { useBackupPlaces } from '../../stores/backup-places';
import { hasFileDialog } from '../../stores/client';

/**
 * Import a backup file made by another Rigger (browser mode: the file streams up, its progress
 * shown as bytes, speed and ETA; the desktop app: a file picked in the native dialog), optionally
 * recovering its gateway from it at once.
 */
export function ImportBackup() {
  const { imported, importing, error } = useBackupPlaces();
  const [file, setFile] = useState<File | null>(null);
  const [picked, setPicked] = useState<string | null>(null);
  const desktop = hasFileDialog();
  const [auto, setAuto] = useState(false);
  const [confirmed, setConfirmed] = useState(false);
  if (!useBackupPlaces.getState().canImport()) return null;
  const auto_ = imported?.auto_restore;
  return (
    <section aria-labelledby="bk-import" data-testid="backup-import">
      <h2 id="bk-import">Import a backup</h2>
      {desktop ? (
        <div className="field">
          <span>Backup file (*.rigger-backup.tar)</span>{' '}
          <button
            type="button"
            onClick={() =>
              void useBackupPlaces
                .getState()
                .pickFile()
                .then((p) => p && setPicked(p))
            }
            data-testid="backup-import-pick"
          >
            Choose a file…
          </button>{' '}
          <span className="code">{picked ?? 'none chosen'}</span>
        </div>
      ) : (
        <label className="field">
          <span>Backup file (*.rigger-backup.tar)</span>
          <input
            type="file"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            data-testid="backup-import-file"
          />
        </label>
      )}
      <label className="inline">
        <input type="checkbox" checked={auto} onChange={(e) => setAuto(e.target.checked)} />
        Then recover its gateway from it (disaster recovery)
      </label>
      {auto && (
        <label className="inline">
          <input
            type="checkbox"
            checked={confirmed}
            onChange={(e) => setConfirmed(e.target.checked)}
          />
          I confirm: the gateway's data is replaced by the backup's
        </label>
      )}
      <div className="actions">
        <button
          className="primary"
          disabled={(desktop ? !picked : !file) || !!importing}
          onClick={() =>
            void (desktop && picked
              ? useBackupPlaces.getState().importPicked(picked, auto, confirmed)
              : useBackupPlaces.getState().importFile(file, auto, confirmed))
          }
          data-testid="backup-import-start"
        >
          Import
        </button>
      </div>
      {error && <ErrorPanel error={error} title="The import did not work" />}
      {imported && (
        <div
          className={`panel ${imported.imported ? 'panel-info' : 'panel-warn'}`}
          data-testid="backup-import-result"
        >
          <p>
            {imported.imported
              ? `Imported ${imported.backup_info.name} (${imported.backup_info.size}), signature ${imported.validation_results.signature}`
              : imported.reason}
          </p>
          {auto_ && (
            <p>
              {auto_.status === 'recovery_started'
                ? `Recovery of ${auto_.gateway} started: job ${auto_.job_id}`
                : `No recovery: ${auto_.reason}`}
            </p>
          )}
          {imported.warnings.map((w) => (
            <p key={w} className="muted">
              {w}
            </p>
          ))}
        </div>
      )}
    </section>
  );
}
