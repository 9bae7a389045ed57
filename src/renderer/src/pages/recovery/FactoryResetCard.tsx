import { useState } from 'react';
import type { RecoveryStatus } from '../../../../shared/recovery';
import { Dialog } from '../../components/Dialog';
import { Icon } from '../../components/Icon';
import { useRecovery } from '../../stores/recovery';

/** Factory reset: the PIN, a reason, and the gateway's name typed to confirm. */
export function FactoryResetCard({
  gateway,
  status,
  busy,
}: {
  gateway: string;
  status: RecoveryStatus;
  busy: boolean;
}) {
  const [asking, setAsking] = useState(false);
  const [typed, setTyped] = useState('');
  const [pin, setPin] = useState('');
  const [reason, setReason] = useState('');
  const [backup, setBackup] = useState(true);
  const enabled = status.recovery_options.factory_reset_enabled;
  const close = () => {
    setAsking(false);
    setTyped('');
    setPin('');
  };
  const ready = typed === gateway && pin.length > 0 && reason.trim().length >= 3;
  return (
    <section className="card" aria-labelledby="factory-title">
      <h2 id="factory-title">Factory reset</h2>
      <p>
        Erases the gateway's data and configuration with its own reset command, then reboots.
        {enabled ? '' : ' Turned off in Settings (Recovery).'}
      </p>
      <button
        type="button"
        className="danger"
        disabled={!enabled || busy}
        onClick={() => setAsking(true)}
        data-testid="factory-reset"
      >
        Factory reset…
      </button>
      {asking && (
        <Dialog
          title={`Factory reset ${gateway}?`}
          onClose={close}
          tone="danger"
          testId="factory-dialog"
        >
          <p>
            <Icon name="stop" /> <strong>All data on {gateway} will be lost.</strong> This cannot be
            undone. The crane's signals are checked first: a moving crane stops it.
          </p>
          <label className="inline">
            <input type="checkbox" checked={backup} onChange={(e) => setBackup(e.target.checked)} />
            Back up the configuration to this laptop first (recommended)
          </label>
          <div className="field">
            <label htmlFor="factory-reason">Why (recorded)</label>
            <input
              id="factory-reason"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              data-autofocus
            />
          </div>
          <div className="field">
            <label htmlFor="factory-pin">PIN</label>
            <input
              id="factory-pin"
              type="password"
              inputMode="numeric"
              autoComplete="off"
              value={pin}
              onChange={(e) => setPin(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="factory-name">Type {gateway} to confirm</label>
            <input
              id="factory-name"
              autoComplete="off"
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
            />
          </div>
          <div className="actions dialog-actions">
            <button type="button" onClick={close}>
              Cancel
            </button>
            <button
              type="button"
              className="danger"
              disabled={!ready}
              onClick={() => {
                const input = { pin, reason: reason.trim(), backup };
                close();
                void useRecovery.getState().factoryReset(input);
              }}
            >
              Erase {gateway}
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}
