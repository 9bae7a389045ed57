import type { RiggerErrorData } from '../../../../shared/errors';
import { Dialog } from '../../components/Dialog';
import { hostKeyFacts } from './host-key';

interface Props {
  name: string;
  /** Where the registry says the gateway is, when the error does not say. */
  fallbackWhere: string;
  error: RiggerErrorData;
  busy: boolean;
  onTrust: (fingerprint: string) => void;
  onCancel: () => void;
}

/** The first connection: show the offered host key and ask before trusting it. */
export function HostKeyDialog({ name, fallbackWhere, error, busy, onTrust, onCancel }: Props) {
  const k = hostKeyFacts(error);
  return (
    <Dialog title={`First connection to ${name}`} onClose={onCancel} testId="host-key-dialog">
      <p>
        First connection to <strong>{name}</strong> ({k.where ?? fallbackWhere}). The gateway offers
        host key{' '}
        <code className="fingerprint" data-testid="offered-fingerprint">
          {k.offered ?? 'unknown'}
        </code>{' '}
        ({k.algorithm ?? 'algorithm unknown'}).
      </p>
      <p>
        Check it matches the gateway's own key before trusting it. Once trusted, Rigger refuses any
        other key from this gateway.
      </p>
      <div className="actions dialog-actions">
        <button type="button" onClick={onCancel} data-autofocus>
          Cancel
        </button>
        <button
          type="button"
          className="primary"
          disabled={busy || !k.offered}
          onClick={() => k.offered && onTrust(k.offered)}
          data-testid="trust-host-key"
        >
          Trust and connect
        </button>
      </div>
    </Dialog>
  );
}
