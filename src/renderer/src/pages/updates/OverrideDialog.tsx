import { useEffect, useState } from 'react';
import type { RiggerErrorData } from '../../../../shared/errors';
import type { SafetyStatus } from '../../../../shared/safety';
import { Dialog } from '../../components/Dialog';
import { ErrorPanel } from '../../components/ErrorPanel';
import { Icon } from '../../components/Icon';
import { asError } from '../../stores/client';
import { useUpdates } from '../../stores/updates';
import { attemptsLeft, lockoutOf } from './update-view';
import { formatClock } from '../../../../shared/format/time';

const DURATIONS: Array<[number, string]> = [
  [600, '10 minutes'],
  [1800, '30 minutes'],
  [3600, '1 hour'],
];

/** Override blocking constraints: PIN, which ones, for how long, why, and the risks accepted. */
export function OverrideDialog({
  gateway,
  safety,
  onClose,
}: {
  gateway: string;
  safety: SafetyStatus;
  onClose: () => void;
}) {
  const blocking = Object.entries(safety.constraints)
    .filter(([, c]) => c.blocking)
    .map(([n]) => n);
  const [chosen, setChosen] = useState<string[]>(blocking);
  const [pin, setPin] = useState('');
  const [reason, setReason] = useState('');
  const [duration, setDuration] = useState(600);
  const [risks, setRisks] = useState(false);
  const [error, setError] = useState<RiggerErrorData | null>(null);
  const [busy, setBusy] = useState(false);
  // A clock for the lockout's countdown, ticking while the dialog is open.
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 5_000);
    return () => clearInterval(t);
  }, []);
  const lockout = lockoutOf(error, now);
  const left = attemptsLeft(error);
  const ready = chosen.length > 0 && pin && reason.trim().length >= 3 && risks && !busy && !lockout;
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await useUpdates
        .getState()
        .override({ pin, reason: reason.trim(), constraints: chosen, duration });
      onClose();
    } catch (err) {
      setError(asError(err));
      setPin('');
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      title={`Override safety on ${gateway}`}
      onClose={onClose}
      tone="danger"
      testId="override-dialog"
    >
      <fieldset className="field">
        <legend>Constraints to override</legend>
        {blocking.map((n) => (
          <label key={n} className="inline">
            <input
              type="checkbox"
              checked={chosen.includes(n)}
              onChange={(e) =>
                setChosen(e.target.checked ? [...chosen, n] : chosen.filter((x) => x !== n))
              }
            />
            {n.replace(/_/g, ' ')}
          </label>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor="ov-duration">For</label>
        <select
          id="ov-duration"
          value={duration}
          onChange={(e) => setDuration(Number(e.target.value))}
        >
          {DURATIONS.map(([s, l]) => (
            <option key={s} value={s}>
              {l}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="ov-reason">Why (recorded)</label>
        <input
          id="ov-reason"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          data-autofocus
        />
      </div>
      <div className="field">
        <label htmlFor="ov-pin">PIN</label>
        <input
          id="ov-pin"
          type="password"
          inputMode="numeric"
          autoComplete="off"
          value={pin}
          onChange={(e) => setPin(e.target.value)}
        />
      </div>
      <label className="inline">
        <input type="checkbox" checked={risks} onChange={(e) => setRisks(e.target.checked)} />I have
        checked on site that it is safe, and I accept the risk (recorded in the audit log)
      </label>
      {lockout ? (
        <div className="panel panel-alarm" role="alert" data-testid="pin-lockout">
          <p className="panel-title">
            <Icon name="stop" /> PIN locked: too many wrong PINs
          </p>
          <p>
            No override can be given until <strong>{formatClock(lockout.until)}</strong> (
            {lockout.minutesLeft} min from now). Ask the person who holds the PIN; every attempt is
            in the audit log.
          </p>
        </div>
      ) : (
        error && (
          <ErrorPanel error={error} title="The override was refused">
            {left !== null && (
              <p>
                <strong>
                  {left} {left === 1 ? 'try' : 'tries'} left
                </strong>{' '}
                before the PIN locks for a while.
              </p>
            )}
          </ErrorPanel>
        )
      )}
      <div className="actions dialog-actions">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="danger" disabled={!ready} onClick={() => void submit()}>
          Override
        </button>
      </div>
    </Dialog>
  );
}
