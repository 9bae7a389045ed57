import type { BackupStatus } from '../../../../shared/backup';

/** The seed's overview cards (`backup/status`): health, last backup, totals, storage, encryption. */
export function OverviewCards({ status, snapshots }: { status: BackupStatus; snapshots: number }) {
  const c = status.components;
  return (
    <div className="cards" data-testid="backup-overview">
      <section className="card" aria-labelledby="bk-health">
        <h2 id="bk-health">Backup health</h2>
        <p data-testid="backup-health">
          <strong>{status.backup_system}</strong> · security score {status.security_score}/100
        </p>
        <ul>
          {status.alerts.map((a, i) => (
            <li key={i} className={a.level === 'info' ? 'muted' : undefined}>
              {a.level}: {a.message}
            </li>
          ))}
        </ul>
      </section>
      <section className="card" aria-labelledby="bk-last">
        <h2 id="bk-last">Last successful backup</h2>
        <p>{status.last_successful_backup ?? 'None yet'}</p>
        <p className="muted">
          {status.total_backups} backup(s), {snapshots} snapshot(s)
        </p>
      </section>
      <section className="card" aria-labelledby="bk-storage">
        <h2 id="bk-storage">Storage on this laptop</h2>
        <p>
          {status.storage_used} used ({c.local_storage.used} of the disk),{' '}
          {c.local_storage.available} free
        </p>
      </section>
      <section className="card" aria-labelledby="bk-enc">
        <h2 id="bk-enc">Encryption</h2>
        <p data-testid="backup-encryption">
          {c.encryption.status === 'enabled'
            ? `${c.encryption.algorithm}, key unlocked`
            : 'Key locked: encrypted backups cannot be made'}
        </p>
      </section>
    </div>
  );
}
