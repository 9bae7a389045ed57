import type { Settings } from './settings';

const lowered = (before: number, after: number) => after < before;
const switchedOff = (before: boolean, after: boolean) => before && !after;

/** The setting paths whose change from `before` to `after` lowers a safety or trust gate. */
export function weakenings(before: Settings, after: Settings): string[] {
  const out: string[] = [];
  const [b, a] = [before.safety_constraints, after.safety_constraints];
  for (const k of [
    'crane_motion_lock',
    'acs_collision_warning',
    'ups_battery_check',
    'network_connectivity',
  ] as const) {
    if (switchedOff(b[k], a[k])) out.push(`safety_constraints.${k}`);
  }
  if (lowered(b.minimum_battery_level, a.minimum_battery_level))
    out.push('safety_constraints.minimum_battery_level');
  if (lowered(b.disk_space_threshold, a.disk_space_threshold))
    out.push('safety_constraints.disk_space_threshold');
  if (!before.recovery.factory_reset_enabled && after.recovery.factory_reset_enabled)
    out.push('recovery.factory_reset_enabled');
  if (switchedOff(before.maintenance_window.enabled, after.maintenance_window.enabled))
    out.push('maintenance_window.enabled');
  return out;
}
