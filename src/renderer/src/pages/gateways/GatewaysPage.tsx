import { useState } from 'react';
import type { Gateway } from '../../../../shared/gateways';
import { ErrorPanel } from '../../components/ErrorPanel';
import { useGateways } from '../../stores/gateways';
import { GatewayCard } from './GatewayCard';
import { GatewayFormDialog } from './GatewayFormDialog';
import { RemoveGatewayDialog } from './RemoveGatewayDialog';

/** The site's gateways as cards, with add, edit, remove and connect. */
export function GatewaysPage() {
  const gateways = useGateways((s) => s.gateways);
  const loaded = useGateways((s) => s.loaded);
  const error = useGateways((s) => s.error);
  const [form, setForm] = useState<{ editing: Gateway | null } | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);

  return (
    <section className="page" aria-labelledby="page-title">
      <div className="page-head">
        <h1 id="page-title" tabIndex={-1}>
          Gateways
        </h1>
        <button
          type="button"
          className="primary"
          onClick={() => setForm({ editing: null })}
          data-testid="add-gateway"
        >
          Add gateway
        </button>
      </div>
      {error && (
        <ErrorPanel error={error} title="The gateway list cannot be read">
          <button type="button" onClick={() => void useGateways.getState().load()}>
            Try again
          </button>
        </ErrorPanel>
      )}
      {!loaded && <p className="muted">Loading the gateways…</p>}
      {loaded && !gateways.length && !error && (
        <div className="panel panel-info" data-testid="no-gateways">
          <p className="panel-title">No gateways yet</p>
          <p>Add the crane's gateway with its SSH address and login to see its state.</p>
        </div>
      )}
      <ul className="cards" aria-label="Gateways">
        {gateways.map((g) => (
          <GatewayCard
            key={g.name}
            gateway={g}
            onEdit={() => setForm({ editing: g })}
            onRemove={() => setRemoving(g.name)}
          />
        ))}
      </ul>
      {form && <GatewayFormDialog editing={form.editing} onClose={() => setForm(null)} />}
      {removing && <RemoveGatewayDialog name={removing} onClose={() => setRemoving(null)} />}
    </section>
  );
}
