import type { BackupListItem } from '../../../../shared/backup';
import { useBackups } from '../../stores/backups';

/** The seed's backup files table: download, restore preview and delete per backup. */
export function BackupsTable({
  backups,
  busy,
  onPreview,
}: {
  backups: BackupListItem[];
  busy: boolean;
  onPreview: (id: string) => void;
}) {
  if (!backups.length) return <p className="muted">No backups of this gateway yet.</p>;
  return (
    <table className="table" data-testid="backups-table">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Type</th>
          <th scope="col">Created</th>
          <th scope="col">Size</th>
          <th scope="col">Components</th>
          <th scope="col">Integrity</th>
          <th scope="col">Actions</th>
        </tr>
      </thead>
      <tbody>
        {backups.map((b) => {
          const id = String(b.id);
          return (
            <tr key={id} data-testid={`backup-row-${id}`}>
              <td>
                {b.name}
                <div className="muted">{b.description}</div>
              </td>
              <td>{b.type}</td>
              <td>{b.created_at.replace('T', ' ').slice(0, 19)}</td>
              <td>{b.size_display}</td>
              <td>{b.components.join(', ')}</td>
              <td data-testid="backup-integrity">{b.integrity}</td>
              <td className="actions-cell">
                <button type="button" onClick={() => void useBackups.getState().exportFile(id)}>
                  Download
                </button>{' '}
                <button type="button" onClick={() => void useBackups.getState().verify(id)}>
                  Verify
                </button>{' '}
                <button type="button" disabled={busy} onClick={() => onPreview(id)}>
                  Restore preview
                </button>{' '}
                <button
                  type="button"
                  className="danger"
                  disabled={busy}
                  onClick={() => {
                    if (window.confirm(`Delete backup ${b.name}?`))
                      void useBackups.getState().remove(id);
                  }}
                >
                  Delete
                </button>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
