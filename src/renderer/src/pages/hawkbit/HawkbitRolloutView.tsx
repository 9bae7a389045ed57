import type { HawkbitAssignment } from '../../../../shared/hawkbit';

/**
 * The rollout an action came by, its groups as hawkBit assigned them and the one holding this
 * gateway. DDI carries no rollout: without Management API credentials Rigger says so.
 */
export function HawkbitRolloutView({
  a,
  managementSet,
}: {
  a: HawkbitAssignment;
  managementSet: boolean;
}) {
  const r = a.rollout;
  if (!r)
    return (
      <p className="muted" data-testid={`hawkbit-rollout-${a.action_id}`}>
        {managementSet
          ? 'Assigned directly, outside any rollout.'
          : "Rollout and group: not known (hawkBit's device API does not carry them; set a Management API user to see them)."}
      </p>
    );
  const mine = r.groups.find((g) => g.holds_target);
  return (
    <div data-testid={`hawkbit-rollout-${a.action_id}`}>
      <p>
        Rollout <strong>{r.name}</strong> (id {r.id})
        {mine ? `, ${a.gateway} is in group ${mine.name}` : ''}:
      </p>
      <ol>
        {r.groups.map((g) => (
          <li key={g.id}>
            {g.name}: {g.status}, {g.total_targets} target{g.total_targets === 1 ? '' : 's'}
            {g.target_percentage !== undefined ? `, ${g.target_percentage}%` : ''}
            {g.holds_target && <strong> (this gateway)</strong>}
          </li>
        ))}
      </ol>
      {r.more_groups && <p className="muted">More groups than shown (the first 100 are read).</p>}
    </div>
  );
}
