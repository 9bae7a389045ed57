import { useEffect, useState } from 'react';
import { Dialog } from '../components/Dialog';
import { Icon } from '../components/Icon';
import { useImages } from '../stores/images';
import type { TrustedKey } from '../../../shared/images';
import { formatDate } from '../../../shared/format/time';

/** Settings → Trusted keys: who may sign the images this laptop will install. */
export function TrustedKeys() {
  const { keys, busy } = useImages();
  const [pem, setPem] = useState('');
  const [removing, setRemoving] = useState<TrustedKey | null>(null);
  useEffect(() => {
    void useImages.getState().load();
  }, []);
  return (
    <section aria-labelledby="keys-title">
      <h2 id="keys-title">Trusted keys</h2>
      <p className="muted">
        Only bundles signed by these keys, or by certificates these CAs issued, import as verified.
      </p>
      <ul className="key-list">
        {keys.map((k) => (
          <li key={k.fingerprint} data-testid="trusted-key">
            <strong>{k.name}</strong> ({k.kind === 'ed25519' ? 'Ed25519 key' : 'CA certificate'}
            {k.not_after ? `, valid until ${formatDate(k.not_after)}` : ''})
            <div className="fingerprint">{k.fingerprint}</div>
            <button onClick={() => setRemoving(k)} aria-label={`Remove ${k.name}`}>
              Remove
            </button>
          </li>
        ))}
      </ul>
      {!keys.length && (
        <p className="panel panel-warn">
          <Icon name="warn" /> No trusted keys yet: every signed bundle will be refused until you
          add your vendor's key.
        </p>
      )}
      <label className="field">
        <span>Add a key: paste an Ed25519 public key or a CA certificate (PEM)</span>
        <textarea
          rows={5}
          value={pem}
          onChange={(e) => setPem(e.target.value)}
          placeholder="-----BEGIN PUBLIC KEY-----"
        />
      </label>
      <div className="actions">
        <button
          className="primary"
          disabled={!pem.trim() || !!busy}
          onClick={() =>
            void useImages
              .getState()
              .addKey(pem.trim())
              .then(() => setPem(''))
          }
        >
          Trust this key
        </button>
      </div>
      {removing && (
        <Dialog
          title={`Stop trusting ${removing.name}?`}
          onClose={() => setRemoving(null)}
          tone="danger"
        >
          <p>Bundles it signed stay in the library, but new ones it signs will be refused.</p>
          <div className="actions">
            <button onClick={() => setRemoving(null)}>Cancel</button>
            <button
              className="danger"
              onClick={() =>
                void useImages
                  .getState()
                  .removeKey(removing.fingerprint)
                  .then(() => setRemoving(null))
              }
            >
              Remove key
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}
