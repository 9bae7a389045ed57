import type { Gateway } from '../../../../shared/gateways';
import { StatusWord } from '../../components/StatusWord';
import { age, connectionLine, shown } from '../../format';
import { href } from '../../routing';
import { EMPTY_STATUS, useStatus } from '../../stores/status';
import { bootedSlot, cardState, slotPartition } from './gateway-view';
import { formatDateTime } from '../../../../shared/format/time';

interface Props {
  gateway: Gateway;
  onEdit: () => void;
  onRemove: () => void;
}

/** One gateway in the list: how it is reached, what this session knows of it, and its actions. */
export function GatewayCard({ gateway: g, onEdit, onRemove }: Props) {
  const entry = useStatus((s) => s.byName[g.name] ?? EMPTY_STATUS);
  const st = entry.status;
  const booted = bootedSlot(st);
  const partition = booted ? slotPartition(st, booted) : null;
  const titleId = `gateway-${g.name}-title`;
  return (
    <li className="card" data-testid={`gateway-card-${g.name}`} aria-labelledby={titleId}>
      <div className="card-head">
        <h2 id={titleId}>{g.name}</h2>
        <StatusWord status={cardState(entry)} testId={`gateway-state-${g.name}`} />
      </div>
      <dl className="facts compact">
        <div className="fact">
          <dt>Connection</dt>
          <dd data-testid={`gateway-connection-${g.name}`}>{connectionLine(g.connection)}</dd>
        </div>
        <div className="fact">
          <dt>Profile</dt>
          <dd>{g.profile}</dd>
        </div>
        <div className="fact">
          <dt>Last seen</dt>
          <dd title={g.last_seen ? formatDateTime(g.last_seen) : undefined}>{age(g.last_seen)}</dd>
        </div>
        <div className="fact">
          <dt>Booted</dt>
          <dd data-testid={`gateway-booted-${g.name}`}>
            {st
              ? `slot ${shown(booted)} · ${shown(partition?.version)}`
              : 'not read yet this session'}
          </dd>
        </div>
      </dl>
      <div className="actions">
        <a
          className="button primary"
          href={href('gateways', g.name)}
          data-testid={`connect-${g.name}`}
        >
          Connect
        </a>
        <button type="button" onClick={onEdit} aria-label={`Edit ${g.name}`}>
          Edit
        </button>
        <button type="button" onClick={onRemove} aria-label={`Remove ${g.name}`}>
          Remove
        </button>
      </div>
    </li>
  );
}
