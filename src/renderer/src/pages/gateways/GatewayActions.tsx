import { useState } from 'react';
import type { RiggerErrorData } from '../../../../shared/errors';
import type { DebugAnswer } from '../../../../shared/monitor';
import { ErrorPanel } from '../../components/ErrorPanel';
import { Icon } from '../../components/Icon';
import { api } from '../../stores/client';
import { asError } from '../../stores/errors';

const LATER = ['Update', 'Roll back', 'Recover', 'Back up'] as const;
const WHY = 'Not available yet in this version';

/** The big actions: the debug bundle works; the others are visible, disabled, with the reason. */
export function GatewayActions({ name }: { name: string }) {
  const [busy, setBusy] = useState(false);
  const [bundle, setBundle] = useState<DebugAnswer | null>(null);
  const [error, setError] = useState<RiggerErrorData | null>(null);
  const capture = async () => {
    setBusy(true);
    setError(null);
    setBundle(null);
    try {
      setBundle(await api().call('monitor.debug', { gateway: name }));
    } catch (e) {
      setError(asError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="actions-title" data-testid="gateway-actions">
      <h2 id="actions-title">Actions</h2>
      <div className="actions big">
        {LATER.map((a) => (
          <button key={a} type="button" disabled title={WHY} aria-describedby="actions-why">
            {a}
          </button>
        ))}
        <button
          type="button"
          onClick={() => void capture()}
          disabled={busy}
          data-testid="debug-bundle"
        >
          {busy ? 'Capturing debug bundle…' : 'Debug bundle'}
        </button>
      </div>
      <p id="actions-why" className="muted">
        <Icon name="info" /> Update, roll back, recover and back up: {WHY.toLowerCase()} of Rigger.
      </p>
      {error && <ErrorPanel error={error} title="The debug bundle could not be captured" />}
      {bundle && (
        <div className="panel panel-info" role="status" data-testid="debug-bundle-result">
          <p className="panel-title">
            <Icon name="check" /> Debug bundle saved ({bundle.size_estimate})
          </p>
          <p className="fingerprint">{bundle.path}</p>
          <p className="muted">
            Secrets in configuration files were removed. Kept until{' '}
            {new Date(bundle.expires_at).toLocaleDateString()}.
            {bundle.missing.length > 0 &&
              ` Not included: ${bundle.missing.map((m) => `${m.item} (${m.reason})`).join('; ')}.`}
          </p>
        </div>
      )}
    </section>
  );
}
