import { useState } from 'react';
import type { RecoveryStatus } from '../../../../shared/recovery';
import { Dialog } from '../../components/Dialog';
import { Icon } from '../../components/Icon';
import { useRecovery } from '../../stores/recovery';

/** Roll back to the other slot: what will change is shown before it changes. */
export function RollbackCard({
  gateway,
  status,
  busy,
}: {
  gateway: string;
  status: RecoveryStatus;
  busy: boolean;
}) {
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const r = status.rollback;
  return (
    <section className="card" aria-labelledby="rollback-title">
      <h2 id="rollback-title">Roll back</h2>
      {r.available ? (
        <p>
          Slot <strong>{r.to_slot}</strong> holds <strong>{r.to_version}</strong>, known good.
          Rolling back switches the gateway to it and reboots; the image there is checked first.
        </p>
      ) : (
        <p id="rollback-why">
          <Icon name="info" /> Not possible now: {r.reason}
        </p>
      )}
      <button
        type="button"
        disabled={!r.available || busy}
        aria-describedby={r.available ? undefined : 'rollback-why'}
        onClick={() => setAsking(true)}
        data-testid="rollback"
      >
        Roll back to slot {r.to_slot ?? '—'}
      </button>
      {asking && (
        <Dialog
          title={`Roll ${gateway} back?`}
          onClose={() => setAsking(false)}
          testId="rollback-dialog"
        >
          <ul>
            <li>
              The gateway switches to slot {r.to_slot} ({r.to_version}) and reboots: the crane's
              gateway is offline for a minute or two.
            </li>
            <li>Rigger proves the image in slot {r.to_slot} before it switches.</li>
            <li>
              After the reboot it checks the health and commits; if slot {r.to_slot} fails, the
              bootloader returns to the current slot.
            </li>
            <li>Data in the data paths stays as it is.</li>
          </ul>
          <div className="field">
            <label htmlFor="rollback-reason">Why (recorded)</label>
            <input
              id="rollback-reason"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              data-autofocus
            />
          </div>
          <div className="actions dialog-actions">
            <button type="button" onClick={() => setAsking(false)}>
              Cancel
            </button>
            <button
              type="button"
              className="primary"
              disabled={reason.trim().length < 3}
              onClick={() => {
                setAsking(false);
                void useRecovery.getState().rollback(reason.trim());
              }}
            >
              Roll back to slot {r.to_slot}
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}
