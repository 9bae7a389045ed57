import { Icon } from '../../components/Icon';

interface Props {
  /** A console gateway: nothing to test over SSH, Save at once. */
  serial: boolean;
  /** The connection test passed for the fields as they are. */
  tested: boolean;
  testing: boolean;
  saving: boolean;
  onCancel: () => void;
  onSaveUntested: () => void;
}

/** Test first, then Save; or, for a gateway not reachable now, Save without testing (warned). */
export function FormActions({
  serial,
  tested,
  testing,
  saving,
  onCancel,

  onSaveUntested,
}: Props) {
  const busy = testing || saving;
  return (
    <>
      {!serial && !tested && (
        <p className="muted" data-testid="save-untested-warning">
          <Icon name="info" /> Save is offered after a successful test. A gateway that cannot be
          reached now can be saved without testing: Rigger then does not know whether it can log in,
          and the first connection asks about its host key.
        </p>
      )}
      <div className="actions dialog-actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        {serial || tested ? (
          <button
            type="submit"
            className="primary"
            aria-disabled={busy || undefined}
            data-testid="gateway-save"
          >
            Save
          </button>
        ) : (
          <>
            <button
              type="submit"
              className="primary"
              aria-disabled={busy || undefined}
              data-testid="gateway-test"
            >
              Test connection
            </button>
            <button
              type="button"
              onClick={onSaveUntested}
              aria-disabled={busy || undefined}
              data-testid="gateway-save-untested"
            >
              Save without testing
            </button>
          </>
        )}
        {busy && (
          <span className="muted" role="status">
            {testing ? 'Testing the connection…' : 'Saving…'}
          </span>
        )}
      </div>
    </>
  );
}
