import { useEffect } from 'react';
import { ErrorPanel } from '../../components/ErrorPanel';
import { StatusWord } from '../../components/StatusWord';
import { navigate } from '../../routing';
import { useHawkbitGateway } from '../../stores/hawkbit-gateway';
import { useUpdates } from '../../stores/updates';
import type { HawkbitAssignment } from '../../../../shared/hawkbit';
import { formatDateTime } from '../../../../shared/format/time';
import { HawkbitRolloutView } from './HawkbitRolloutView';

/** Reads again after an update ends: its result is journaled just after the job's end. */
const AFTER_OUTCOME_MS = [0, 1000, 2500, 5000];

/**
 * What hawkBit wants on this gateway, from the last sync (no network needed at the crane):
 * offered actions with an Install button into the ordinary verified update, canceled ones
 * shown as such, what is missing and what to do, and each install's recorded result.
 */
export function HawkbitAssignments({
  gateway,
  page,
}: {
  gateway: string;
  page: 'gateway' | 'updates';
}) {
  const status = useHawkbitGateway((s) => s.byName[gateway]);
  const error = useHawkbitGateway((s) => s.error);
  const outcome = useUpdates((s) => (s.running?.gateway === gateway ? s.running.outcome : null));
  const busy = useUpdates((s) => !!s.running && !s.running.outcome);
  useEffect(() => {
    const timers = AFTER_OUTCOME_MS.map((ms) =>
      setTimeout(() => void useHawkbitGateway.getState().load(gateway), ms),
    );
    return () => timers.forEach(clearTimeout);
  }, [gateway, outcome]);
  if (!status) return null;
  const mine = status.assignments.filter((a) => a.state !== 'closed');
  if (mine.length === 0) return null;
  const managementSet =
    !!status.config.management_user && status.config.management_password !== 'missing';
  const install = async (a: HawkbitAssignment) => {
    const opened = await useHawkbitGateway.getState().install(gateway, a.action_id);
    if (opened && page === 'gateway') navigate('updates', gateway);
  };
  return (
    <section className="panel" aria-labelledby={`hawkbit-${page}`} data-testid="hawkbit-gateway">
      <h2 id={`hawkbit-${page}`} className="panel-title">
        From hawkBit
      </h2>
      {error && <ErrorPanel error={error} title="The hawkBit assignment cannot be installed" />}
      <ul className="hawkbit-actions">
        {mine.map((a) => (
          <li key={a.action_id} data-testid={`hawkbit-action-${a.action_id}`}>
            <p>
              {a.summary}: <StatusWord status={a.state === 'canceled' ? 'cancelled' : a.state} />
            </p>
            {a.offered && (
              <button
                type="button"
                className="primary"
                disabled={busy}
                onClick={() => void install(a)}
                data-testid={`hawkbit-install-${a.action_id}`}
              >
                Install {a.image?.version ?? a.version}…
              </button>
            )}
            {a.problem && (
              <p className={a.state === 'installed' ? 'muted' : 'panel-sub'}>{a.problem}</p>
            )}
            {a.install && (
              <div data-testid={`hawkbit-result-${a.action_id}`}>
                <p>
                  Recorded: {a.install.result === 'success' ? 'installed' : 'failed'} at{' '}
                  {formatDateTime(a.install.finished_at)};{' '}
                  {a.install.reported_at
                    ? `reported to hawkBit at ${formatDateTime(a.install.reported_at)}`
                    : 'waits for the next sync to reach hawkBit'}
                  .
                </p>
                <details>
                  <summary>Every step with its time</summary>
                  <ol>
                    {a.install.details.map((line, i) => (
                      <li key={i}>{line}</li>
                    ))}
                  </ol>
                </details>
              </div>
            )}
            <HawkbitRolloutView a={a} managementSet={managementSet} />
          </li>
        ))}
      </ul>
    </section>
  );
}
