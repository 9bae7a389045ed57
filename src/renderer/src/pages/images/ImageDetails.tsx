import type { LibraryImage } from '../../../../shared/images';
import { Dialog } from '../../components/Dialog';
import { formatBytes } from '../../../../shared/format/bytes';
import { formatDateTime } from '../../../../shared/format/time';

/** Everything the library knows of one image, with its changelog. */
export function ImageDetails({ image: i, onClose }: { image: LibraryImage; onClose: () => void }) {
  const facts: Array<[string, string]> = [
    ['Id', i.id],
    ['Released', i.released ?? 'unknown'],
    [
      'Fits',
      i.compatible
        ? `${i.compatible.models.join(', ')} · ${i.compatible.hardware_revisions.join(', ')}`
        : 'unknown (no manifest)',
    ],
    ['Needs', i.prerequisites.join(', ') || 'nothing'],
    [
      'Image',
      `${i.format}, ${formatBytes(i.size)}${i.compression === 'gzip' ? `, ${formatBytes(i.compressed_size)} compressed` : ''}`,
    ],
    ['SHA-256', i.sha256],
    ['Signature', `${i.signature}${i.signer ? ` by ${i.signer_name ?? ''} (${i.signer})` : ''}`],
    [
      'Imported',
      `${formatDateTime(i.imported_at)} from ${i.source === 'catalog' ? 'the update server' : i.source_name}`,
    ],
  ];
  return (
    <Dialog title={`${i.version} — ${i.type ?? 'image'}`} onClose={onClose}>
      <p>{i.description}</p>
      {i.changelog.length > 0 && (
        <ul>
          {i.changelog.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
      )}
      <dl className="facts">
        {facts.map(([k, v]) => (
          <div key={k} className="fact">
            <dt>{k}</dt>
            <dd className={k === 'SHA-256' ? 'fingerprint' : undefined}>{v}</dd>
          </div>
        ))}
      </dl>
      <div className="actions">
        <button onClick={onClose}>Close</button>
      </div>
    </Dialog>
  );
}
