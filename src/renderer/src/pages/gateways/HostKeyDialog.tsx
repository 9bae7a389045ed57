import { useState } from 'react';
import type { RiggerErrorData } from '../../../../shared/errors';
import { Dialog } from '../../components/Dialog';

interface Props {
  name: string;
  error: RiggerErrorData;
  onTrust: (fingerprint: string) => void;
  onCancel: () => void;
}

/** First key: show it and ask. Changed key: an alarm, and replacing it needs the gateway's name typed. */
export function HostKeyDialog({ name, error, onTrust, onCancel }: Props) {
  const [typed, setTyped] = useState('');
  const d = error.details as Record<string, string>;
  if (error.code === 'HOST_KEY_UNKNOWN') {
    return (
      <Dialog title={`First connection to ${name}`} onClose={onCancel}>
        <p>
          The gateway at {d.host}:{d.port} offers this host key ({d.algorithm}):
        </p>
        <p className="fingerprint" data-testid="offered-fingerprint">
          {d.offered_fingerprint}
        </p>
        <p>
          Check it matches the gateway's own key (on its label or console) before trusting it.
          Rigger will refuse any other key afterwards.
        </p>
        <div className="actions">
          <button onClick={onCancel}>Cancel</button>
          <button className="primary" onClick={() => onTrust(d.offered_fingerprint!)}>
            Trust and connect
          </button>
        </div>
      </Dialog>
    );
  }
  return (
    <Dialog title={`The host key of ${name} has changed`} onClose={onCancel} tone="danger">
      <p role="alert">
        ⚠ Rigger did not connect. Either the gateway was re-installed or replaced, or something is
        pretending to be it.
      </p>
      <dl className="facts">
        <dt>Stored key</dt>
        <dd className="fingerprint">{d.stored_fingerprint}</dd>
        <dt>Offered key</dt>
        <dd className="fingerprint">{d.offered_fingerprint}</dd>
      </dl>
      <label className="field">
        <span>To replace the stored key, type the gateway's name ({name})</span>
        <input value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" />
      </label>
      <div className="actions">
        <button onClick={onCancel}>Keep the stored key</button>
        <button
          className="danger"
          disabled={typed !== name}
          onClick={() => onTrust(d.offered_fingerprint!)}
        >
          Replace the stored key
        </button>
      </div>
    </Dialog>
  );
}
