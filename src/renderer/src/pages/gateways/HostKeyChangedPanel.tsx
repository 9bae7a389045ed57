import { Icon } from '../../components/Icon';
import { useId, useState } from 'react';
import type { RiggerErrorData } from '../../../../shared/errors';
import { hostKeyFacts } from './host-key';

interface Props {
  name: string;
  error: RiggerErrorData;
  busy: boolean;
  onReplace: (fingerprint: string) => void;
}

/** The host key changed: an alarm, both keys, and a replace guarded by typing the gateway's name. */
export function HostKeyChangedPanel({ name, error, busy, onReplace }: Props) {
  const [typed, setTyped] = useState('');
  const inputId = useId();
  const k = hostKeyFacts(error);
  const confirmed = typed.trim() === name;
  return (
    <section
      className="panel panel-alarm"
      role="alert"
      aria-labelledby={`${inputId}-title`}
      data-testid="host-key-changed"
    >
      <h2 className="panel-title" id={`${inputId}-title`}>
        <Icon name="stop" /> The host key of {name} has changed. Rigger did not connect.
      </h2>
      <p>
        The gateway{k.where ? ` at ${k.where}` : ''} now offers a different key from the one trusted
        before. This may be an attack (something pretending to be the gateway), or the gateway was
        re-flashed or replaced. Do not replace the key unless you know which.
      </p>
      <dl className="facts">
        <div className="fact">
          <dt>Stored key</dt>
          <dd>
            <code className="fingerprint" data-testid="stored-fingerprint">
              {k.stored ?? 'unknown'}
            </code>
          </dd>
        </div>
        <div className="fact">
          <dt>Offered key{k.algorithm ? ` (${k.algorithm})` : ''}</dt>
          <dd>
            <code className="fingerprint" data-testid="offered-fingerprint">
              {k.offered ?? 'unknown'}
            </code>
          </dd>
        </div>
      </dl>
      <p>
        Check the offered key on the gateway itself, from its serial console:{' '}
        <code>ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</code>. Only if it matches, replace
        the stored key.
      </p>
      <div className="field">
        <label htmlFor={inputId}>Type the gateway's name ({name}) to replace the stored key</label>
        <input
          id={inputId}
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          autoComplete="off"
          spellCheck={false}
          data-testid="replace-key-confirm"
        />
      </div>
      <div className="actions">
        <button
          type="button"
          className="danger"
          disabled={!confirmed || busy || !k.offered}
          onClick={() => k.offered && onReplace(k.offered)}
          data-testid="replace-host-key"
        >
          Replace the stored key
        </button>
      </div>
      <p className="code">
        Error code <span data-testid="error-code">{error.code}</span>
      </p>
    </section>
  );
}
