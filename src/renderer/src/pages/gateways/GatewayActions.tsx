import { Icon } from '../../components/Icon';
const ACTIONS = ['Update', 'Roll back', 'Recover', 'Back up', 'Debug bundle'] as const;
const WHY = 'Not available yet in this version';

/** The big actions, visible so the technician knows they will be here, disabled with the reason. */
export function GatewayActions() {
  return (
    <section aria-labelledby="actions-title" data-testid="gateway-actions">
      <h2 id="actions-title">Actions</h2>
      <div className="actions big">
        {ACTIONS.map((a) => (
          <button key={a} type="button" disabled title={WHY} aria-describedby="actions-why">
            {a}
          </button>
        ))}
      </div>
      <p id="actions-why" className="muted">
        <Icon name="info" /> {WHY} of Rigger.
      </p>
    </section>
  );
}
