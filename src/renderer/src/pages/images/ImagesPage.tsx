import { useEffect, useState, type DragEvent } from 'react';
import type { LibraryImage } from '../../../../shared/images';
import { Dialog } from '../../components/Dialog';
import { Icon } from '../../components/Icon';
import { ErrorPanel } from '../../components/ErrorPanel';
import { ProgressBar } from '../../components/ProgressBar';
import { href } from '../../routing';
import { useImages } from '../../stores/images';
import { ImportForm } from './ImportForm';
import { ImageDetails } from './ImageDetails';
import { signatureLook } from './signature-look';
import { formatBytes } from '../../../../shared/format/bytes';
import { formatDateTime } from '../../../../shared/format/time';

/** The offline library: what is on this laptop, import, sync, check, delete. */
export function ImagesPage() {
  const { images, usage, busy, progress, error, notice } = useImages();
  const [details, setDetails] = useState<LibraryImage | null>(null);
  const [deleting, setDeleting] = useState<LibraryImage | null>(null);
  const chosen = useImages((s) => s.chosenPath);
  useEffect(() => {
    void useImages.getState().load();
  }, []);

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    const file = e.dataTransfer.files[0];
    if (file) useImages.getState().dropFile(file);
  };

  return (
    <section
      className="page"
      aria-labelledby="page-title"
      onDragOver={(e) => e.preventDefault()}
      onDrop={onDrop}
    >
      <div className="page-head">
        <h1 id="page-title">Images</h1>
        <button onClick={() => void useImages.getState().sync()} disabled={!!busy}>
          Sync from server
        </button>
      </div>
      <p className="muted">
        {usage
          ? `${usage.images} images, ${formatBytes(usage.bytes)} on this laptop${usage.free_bytes !== null ? `, ${formatBytes(usage.free_bytes)} free` : ''}${usage.quota_bytes ? `, quota ${formatBytes(usage.quota_bytes)}` : ''}.`
          : ' '}{' '}
        Catalog last refreshed{' '}
        {usage?.catalog_refreshed_at ? formatDateTime(usage.catalog_refreshed_at) : 'never'}. Drop a
        bundle anywhere on this page to import it.
      </p>
      <ImportForm key={chosen ?? ''} initialPath={chosen} disabled={!!busy} />
      {busy && <ProgressBar label={busy} event={progress} />}
      {error && (
        <ErrorPanel error={error} title="That did not work">
          {error.code === 'OTA_006' && (
            <a className="button" href={href('settings')} data-testid="trusted-keys-link">
              Trusted keys (Settings)
            </a>
          )}
        </ErrorPanel>
      )}
      {notice && (
        <p className="panel panel-info" role="status">
          {notice}
        </p>
      )}
      <table className="table">
        <caption className="muted">
          Newest first. Only verified images can be installed without an extra confirmation.
        </caption>
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Type / severity</th>
            <th scope="col">Channel</th>
            <th scope="col">Size</th>
            <th scope="col">Signature</th>
            <th scope="col">Source</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {images.map((i) => {
            const look = signatureLook(i.signature);
            return (
              <tr key={i.id} data-testid={`image-${i.id}`}>
                <td>
                  <strong>{i.version}</strong>
                  <div className="muted">{i.id}</div>
                </td>
                <td>
                  {i.type ?? '—'} / {i.severity ?? '—'}
                </td>
                <td>{i.channel ?? '—'}</td>
                <td>{formatBytes(i.size)}</td>
                <td>
                  <span className={`status status-${look.tone}`}>
                    <Icon name={look.icon} /> {i.signature}
                  </span>
                  {i.signer_name && <div className="muted">{i.signer_name}</div>}
                </td>
                <td>{i.source === 'catalog' ? 'update server' : i.source_name}</td>
                <td className="actions-cell">
                  <button onClick={() => setDetails(i)}>Details</button>
                  <button onClick={() => void useImages.getState().verify(i.id)} disabled={!!busy}>
                    Check
                  </button>
                  <button onClick={() => setDeleting(i)} aria-label={`Delete ${i.version}`}>
                    Delete
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {!images.length && (
        <p className="panel panel-info">
          The library is empty. Import a bundle a colleague gave you, or sync from the update server
          while online.
        </p>
      )}
      {details && <ImageDetails image={details} onClose={() => setDetails(null)} />}
      {deleting && (
        <Dialog
          title={`Delete ${deleting.version}?`}
          onClose={() => setDeleting(null)}
          tone="danger"
        >
          <p>
            {deleting.id} is removed from this laptop. You will need the bundle again (or the
            network) to install it later.
          </p>
          <div className="actions">
            <button onClick={() => setDeleting(null)}>Cancel</button>
            <button
              className="danger"
              onClick={() =>
                void useImages
                  .getState()
                  .remove(deleting.id)
                  .then(() => setDeleting(null))
              }
            >
              Delete {deleting.version}
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}
