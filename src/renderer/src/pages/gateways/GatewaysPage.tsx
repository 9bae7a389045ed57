import { useState } from 'react';
import type { Gateway } from '../../../../shared/gateways';
import { Dialog } from '../../components/Dialog';
import { ErrorPanel } from '../../components/ErrorPanel';
import { StatusWord } from '../../components/StatusWord';
import { age, connectionLine, shown } from '../../format';
import { href } from '../../routing';
import { asError } from '../../stores/errors';
import { useGateways } from '../../stores/gateways';
import { useStatus } from '../../stores/status';
import type { RiggerErrorData } from '../../../../shared/errors';
import { GatewayFormDialog } from './GatewayFormDialog';

/** The site's gateways as cards, with add / edit / remove. */
export function GatewaysPage() {
  const { gateways, loaded, error } = useGateways();
  const statuses = useStatus((s) => s.byName);
  const [form, setForm] = useState<{ editing: Gateway | null } | null>(null);
  const [removing, setRemoving] = useState<Gateway | null>(null);
  const [removeError, setRemoveError] = useState<RiggerErrorData | null>(null);

  const confirmRemove = async () => {
    if (!removing) return;
    try {
      await useGateways.getState().remove(removing.name);
      setRemoving(null);
    } catch (err) {
      setRemoveError(asError(err));
    }
  };

  return (
    <section className="page" aria-labelledby="page-title">
      <div className="page-head">
        <h1 id="page-title">Gateways</h1>
        <button className="primary" onClick={() => setForm({ editing: null })}>
          Add gateway
        </button>
      </div>
      {error && <ErrorPanel error={error} title="The gateway list cannot be read" />}
      {loaded && !gateways.length && !error && (
        <div className="panel panel-info">
          <p className="panel-title">No gateways yet</p>
          <p>Add the crane's gateway with its SSH address and login to see its state.</p>
        </div>
      )}
      <ul className="cards">
        {gateways.map((g) => {
          const st = statuses[g.name]?.status;
          return (
            <li key={g.name} className="card" data-testid={`gateway-card-${g.name}`}>
              <h2>{g.name}</h2>
              <p>{connectionLine(g.connection)}</p>
              <p>Profile {g.profile}</p>
              <p>Last seen {age(g.last_seen)}</p>
              {st ? (
                <p>
                  Booted slot {shown(st.partitions.active.id)},{' '}
                  {shown(st.partitions.active.version)}{' '}
                  <StatusWord status={st.partitions.active.status} />
                </p>
              ) : (
                <p className="muted">State not read yet</p>
              )}
              <div className="actions">
                <a className="button primary" href={href('gateways', g.name)}>
                  Connect
                </a>
                <button onClick={() => setForm({ editing: g })} aria-label={`Edit ${g.name}`}>
                  Edit
                </button>
                <button
                  onClick={() => (setRemoveError(null), setRemoving(g))}
                  aria-label={`Remove ${g.name}`}
                >
                  Remove
                </button>
              </div>
            </li>
          );
        })}
      </ul>
      {form && <GatewayFormDialog editing={form.editing} onClose={() => setForm(null)} />}
      {removing && (
        <Dialog title={`Remove ${removing.name}?`} onClose={() => setRemoving(null)} tone="danger">
          <p>
            Rigger forgets this gateway and its pinned host key. Nothing on the gateway itself
            changes.
          </p>
          {removeError && <ErrorPanel error={removeError} />}
          <div className="actions">
            <button onClick={() => setRemoving(null)}>Cancel</button>
            <button className="danger" onClick={() => void confirmRemove()}>
              Remove {removing.name}
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}
