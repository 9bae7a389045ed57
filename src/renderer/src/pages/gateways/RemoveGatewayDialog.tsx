import { useState } from 'react';
import type { RiggerErrorData } from '../../../../shared/errors';
import { Dialog } from '../../components/Dialog';
import { ErrorPanel } from '../../components/ErrorPanel';
import { asError } from '../../stores/client';
import { useGateways } from '../../stores/gateways';

/** Ask before Rigger forgets a gateway, naming it; nothing on the gateway itself changes. */
export function RemoveGatewayDialog({ name, onClose }: { name: string; onClose: () => void }) {
  const [error, setError] = useState<RiggerErrorData | null>(null);
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    if (busy) return;
    setBusy(true);
    try {
      await useGateways.getState().remove(name);
      onClose();
    } catch (err) {
      setError(asError(err));
      setBusy(false);
    }
  };
  return (
    <Dialog title={`Remove ${name}?`} onClose={onClose} tone="danger" testId="remove-dialog">
      <p>
        Rigger forgets the gateway <strong>{name}</strong>, its login and its trusted host key.
        Nothing on the gateway itself changes; you can add it again later.
      </p>
      {error && <ErrorPanel error={error} title={`${name} was not removed`} />}
      <div className="actions dialog-actions">
        <button type="button" onClick={onClose} data-autofocus>
          Cancel
        </button>
        <button
          type="button"
          className="danger"
          aria-disabled={busy || undefined}
          onClick={() => void confirm()}
        >
          Remove {name}
        </button>
      </div>
    </Dialog>
  );
}
