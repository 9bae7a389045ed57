import { useEffect, useState } from 'react';
import { ErrorPanel } from '../../components/ErrorPanel';
import { useNodes } from '../../stores/nodes';
import { GatewaySection } from './GatewaySection';

/** The Nodes tab: the nodes behind the gateway, what the library offers each, and pushes. */
export function NodesTab({ name }: { name: string }) {
  const { nodes, loading, error, offers, jobs, pushing } = useNodes();
  const [goOn, setGoOn] = useState(false);
  useEffect(() => void useNodes.getState().load(name), [name]);
  // The types some node of which the library has newer firmware for.
  const types = [
    ...new Set((nodes ?? []).filter((n) => offers[n.node_id]?.ota_available).map((n) => n.type)),
  ];
  return (
    <GatewaySection name={name} tab="nodes" title="Nodes">
      {error && <ErrorPanel error={error} title="The node operation failed" />}
      {nodes === null ? (
        <p className="muted">{loading ? "Asking the gateway's node tool…" : 'Not read yet'}</p>
      ) : nodes.length === 0 ? (
        <p className="muted">No nodes behind {name}.</p>
      ) : (
        <table className="table" data-testid="nodes-table">
          <thead>
            <tr>
              <th>Node</th>
              <th>Name</th>
              <th>Type</th>
              <th>Firmware</th>
              <th>Online</th>
              <th>Offered</th>
              <th>Last push</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {nodes.map((n) => {
              const offer = offers[n.node_id];
              const job = jobs[n.node_id];
              return (
                <tr key={n.node_id} data-testid={`node-${n.node_id}`}>
                  <td>{n.node_id}</td>
                  <td>{n.name}</td>
                  <td>{n.type}</td>
                  <td>{n.fw_version ?? '?'}</td>
                  <td>{n.online ? 'yes' : 'OFFLINE'}</td>
                  <td>{offer?.ota_available ? offer.fw_version : 'up to date'}</td>
                  <td aria-live="polite">
                    {job ? `${job.status.replace(/_/g, ' ')}: ${job.additional_info}` : '–'}
                  </td>
                  <td>
                    <button
                      type="button"
                      disabled={!!pushing || !offer?.ota_available || !n.online}
                      onClick={() => void useNodes.getState().push(n.node_id)}
                    >
                      {pushing === n.node_id
                        ? 'Pushing…'
                        : `Update${offer?.ota_available ? ` to ${offer.fw_version}` : ''}`}
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {types.length > 0 && (
        <div className="panel" data-testid="nodes-batch">
          <p className="panel-title">All nodes of a type, one after another</p>
          <label className="radio">
            <input type="checkbox" checked={goOn} onChange={(e) => setGoOn(e.target.checked)} />
            Go on after a node fails (by default the first failure stops the rest)
          </label>
          <div className="actions">
            {types.map((t) => (
              <button
                key={t}
                type="button"
                disabled={!!pushing}
                onClick={() => void useNodes.getState().pushAll(t, goOn)}
              >
                {pushing === `all ${t}` ? `Updating every ${t}…` : `Update every ${t}`}
              </button>
            ))}
          </div>
        </div>
      )}
      <div className="actions">
        <button
          type="button"
          disabled={loading}
          onClick={() => void useNodes.getState().load(name)}
        >
          Refresh
        </button>
      </div>
    </GatewaySection>
  );
}
