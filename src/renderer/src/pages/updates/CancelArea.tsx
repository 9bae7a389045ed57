import { Icon } from '../../components/Icon';
import { useUpdates, type Running } from '../../stores/updates';
import { cancelable } from './update-view';

/**
 * Cancel, asked once more: a misplaced tap must not throw away a long write. The question is
 * the parent's state, so it stays when the job moves on; once nothing can be cancelled any
 * more, it is answered in plain words instead of vanishing.
 */
export function CancelArea({
  run,
  asking,
  setAsking,
}: {
  run: Running;
  asking: boolean;
  setAsking(on: boolean): void;
}) {
  const can = cancelable(run.progress?.status);
  const target = run.progress?.update.target_partition ?? 'the new slot';
  if (!asking)
    return can ? (
      <button type="button" onClick={() => setAsking(true)}>
        Cancel the update…
      </button>
    ) : null;
  if (!can)
    return (
      <div className="panel panel-info" role="status" data-testid="cancel-too-late">
        <p className="panel-title">
          <Icon name="info" /> Cancelling is no longer possible
        </p>
        <p>
          The install has begun, so nothing is stopped halfway: Rigger switches {run.gateway} to
          slot {target}, reboots it and commits {run.version} only if it comes back healthy on slot{' '}
          {target}; otherwise the gateway goes back to its previous slot by itself and this page
          says so.
        </p>
        <div className="actions">
          <button type="button" onClick={() => setAsking(false)}>
            Understood
          </button>
        </div>
      </div>
    );
  return (
    <div
      className="panel panel-warn"
      role="group"
      aria-label="Cancel the update?"
      data-testid="cancel-ask"
    >
      <p>
        Stop now? The gateway keeps running its current slot; the slot being written stays
        unbootable until an image is written to it again.
      </p>
      <div className="actions">
        <button type="button" onClick={() => setAsking(false)} autoFocus>
          Keep going
        </button>
        <button
          type="button"
          className="danger"
          onClick={() => {
            setAsking(false);
            void useUpdates.getState().cancel();
          }}
        >
          Cancel the update
        </button>
      </div>
    </div>
  );
}
