import { useState } from 'react';
import { Dialog } from '../../components/Dialog';
import { useBackupPlaces } from '../../stores/backup-places';

/** Other sites whose backups may be imported here: trust a key after its fingerprint, revoke. */
export function TrustedSites() {
  const { sites, pendingKey } = useBackupPlaces();
  const [pem, setPem] = useState('');
  const [name, setName] = useState('');
  const [revoking, setRevoking] = useState<string | null>(null);
  const s = useBackupPlaces.getState;
  return (
    <section aria-labelledby="bk-sites" data-testid="trusted-sites">
      <h2 id="bk-sites">Trusted sites</h2>
      <p className="muted">
        Backups signed by another site import only once its signing key is trusted here.
      </p>
      <ul className="key-list">
        {sites.map((k) => (
          <li key={k.fingerprint} data-testid="trusted-site">
            <strong>{k.name}</strong>
            <div className="fingerprint">{k.fingerprint}</div>
            <button onClick={() => setRevoking(k.fingerprint)} aria-label={`Revoke ${k.name}`}>
              Revoke
            </button>
          </li>
        ))}
      </ul>
      {!sites.length && <p className="muted">No other site is trusted.</p>}
      <label className="field">
        <span>Site name</span>
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder="quay-2" />
      </label>
      <label className="field">
        <span>Its site-signing.pub (PEM)</span>
        <textarea
          rows={4}
          value={pem}
          onChange={(e) => setPem(e.target.value)}
          placeholder="-----BEGIN PUBLIC KEY-----"
        />
      </label>
      <div className="actions">
        <button
          className="primary"
          disabled={!pem.trim()}
          onClick={() => void s().checkKey(pem.trim(), name.trim() || undefined)}
          data-testid="trust-site-check"
        >
          Check key…
        </button>
      </div>
      {pendingKey && (
        <Dialog title={`Trust ${pendingKey.name}?`} onClose={() => s().cancelKey()}>
          <div data-testid="trust-site-dialog">
            <p>
              Compare this fingerprint with the one the other site shows (rigger backup trust show):
            </p>
            <p className="fingerprint" data-testid="trust-site-fingerprint">
              {pendingKey.fingerprint}
            </p>
            <div className="actions">
              <button onClick={() => s().cancelKey()}>Cancel</button>
              <button
                className="primary"
                onClick={() =>
                  void s()
                    .confirmKey()
                    .then(() => {
                      setPem('');
                      setName('');
                    })
                }
                data-testid="trust-site-confirm"
              >
                It matches: trust this key
              </button>
            </div>
          </div>
        </Dialog>
      )}
      {revoking && (
        <Dialog title="Stop trusting this site?" onClose={() => setRevoking(null)} tone="danger">
          <p>Its backups already imported stay; new ones it signs are refused.</p>
          <div className="actions">
            <button onClick={() => setRevoking(null)}>Cancel</button>
            <button
              className="danger"
              onClick={() =>
                void s()
                  .revoke(revoking)
                  .then(() => setRevoking(null))
              }
            >
              Revoke
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}
