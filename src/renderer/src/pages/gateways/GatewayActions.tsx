import { useEffect } from 'react';
import { ErrorPanel } from '../../components/ErrorPanel';
import { Icon } from '../../components/Icon';
import { navigate } from '../../routing';
import { useDebugBundle } from '../../stores/debug-bundle';
import { formatDateTime } from '../../../../shared/format/time';

/** Each big action and the page that does it, for this gateway. */
const ACTIONS = [
  { label: 'Update', area: 'updates' },
  { label: 'Roll back', area: 'recovery' },
  { label: 'Back up', area: 'recovery' },
  { label: 'Logs', area: 'logs' },
] as const;

/**
 * The big actions: each opens its page for this gateway; the debug bundle is captured here.
 * `blocked`: why none can work now (said in text, and on hover); the console still opens.
 */
export function GatewayActions({
  name,
  onConsole,
  blocked,
}: {
  name: string;
  onConsole: boolean;
  blocked: string | null;
}) {
  const state = useDebugBundle();
  useEffect(() => {
    useDebugBundle.getState().reset();
  }, [name]);
  const mine = state.gateway === name;
  const busy = state.busy;
  const bundle = mine ? state.bundle : null;
  const error = mine ? state.error : null;
  return (
    <section aria-labelledby="actions-title" data-testid="gateway-actions">
      <h2 id="actions-title">Actions</h2>
      {blocked && (
        <p id="actions-why" className="muted" data-testid="actions-why">
          <Icon name="info" /> {blocked}
        </p>
      )}
      <div className="actions big">
        {onConsole && (
          <button
            type="button"
            onClick={() => navigate('console', name)}
            data-testid="open-console"
          >
            Open console
          </button>
        )}
        {ACTIONS.map((a) => (
          <button
            key={a.label}
            type="button"
            onClick={() => navigate(a.area, name)}
            disabled={!!blocked}
            title={blocked ?? undefined}
            aria-describedby={blocked ? 'actions-why' : undefined}
          >
            {a.label}
          </button>
        ))}
        <button
          type="button"
          onClick={() => void state.capture(name)}
          aria-disabled={busy || undefined}
          disabled={!!blocked}
          title={blocked ?? undefined}
          aria-describedby={blocked ? 'actions-why' : undefined}
          data-testid="debug-bundle"
        >
          {busy ? 'Capturing debug bundle…' : 'Debug bundle'}
        </button>
        {blocked && !onConsole && (
          <button type="button" onClick={() => navigate('console', name)}>
            Open console
          </button>
        )}
      </div>
      {error && <ErrorPanel error={error} title="The debug bundle could not be captured" />}
      {bundle && (
        <div className="panel panel-info" role="status" data-testid="debug-bundle-result">
          <p className="panel-title">
            <Icon name="check" /> Debug bundle saved ({bundle.size_estimate})
          </p>
          <p className="fingerprint">{bundle.path}</p>
          <p className="muted">
            Secrets in configuration files were removed. Kept until{' '}
            {formatDateTime(bundle.expires_at)}.
            {bundle.missing.length > 0 &&
              ` Not included: ${bundle.missing.map((m) => `${m.item} (${m.reason})`).join('; ')}.`}
          </p>
        </div>
      )}
    </section>
  );
}
