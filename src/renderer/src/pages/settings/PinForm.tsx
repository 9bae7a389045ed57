import { useState } from 'react';
import type { RiggerErrorData } from '../../../../shared/errors';
import { ErrorPanel } from '../../components/ErrorPanel';
import { Icon } from '../../components/Icon';
import { asError } from '../../stores/client';
import { useSettings } from '../../stores/settings';

/** The PIN for safety overrides and factory resets: stored only as a salted hash by the core. */
export function PinForm() {
  const [current, setCurrent] = useState('');
  const [pin, setPin] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<RiggerErrorData | null>(null);
  const [done, setDone] = useState(false);
  const mismatch = again.length > 0 && pin !== again;
  return (
    <section aria-labelledby="pin-title" className="settings-section">
      <h2 id="pin-title">PIN</h2>
      <p className="muted">
        Guards safety overrides and factory resets. Five wrong PINs lock it for a while.
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setError(null);
          setDone(false);
          useSettings
            .getState()
            .setPin(pin, current || undefined)
            .then(() => {
              setDone(true);
              setPin('');
              setAgain('');
              setCurrent('');
            })
            .catch((err: unknown) => setError(asError(err)));
        }}
      >
        <div className="field">
          <label htmlFor="pin-current">Current PIN (when replacing one)</label>
          <input
            id="pin-current"
            type="password"
            inputMode="numeric"
            autoComplete="off"
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="pin-new">New PIN (4 to 12 digits)</label>
          <input
            id="pin-new"
            type="password"
            inputMode="numeric"
            autoComplete="off"
            value={pin}
            onChange={(e) => setPin(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="pin-again">New PIN again</label>
          <input
            id="pin-again"
            type="password"
            inputMode="numeric"
            autoComplete="off"
            value={again}
            aria-invalid={mismatch}
            onChange={(e) => setAgain(e.target.value)}
          />
          {mismatch && <p className="field-error">The two PINs differ.</p>}
        </div>
        <button type="submit" disabled={!pin || pin !== again}>
          Set the PIN
        </button>
      </form>
      {done && (
        <p role="status">
          <Icon name="check" /> PIN set.
        </p>
      )}
      {error && <ErrorPanel error={error} title="The PIN was not set" />}
    </section>
  );
}
