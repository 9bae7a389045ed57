import type { Settings } from '../../../shared/settings';
import type { ConstraintName, SafetyStatus } from '../../../shared/safety';
import { seedSize } from '../../../shared/format/bytes';

type Raw = Record<string, Record<string, unknown> | undefined>;

/** What the gateway told: its safety_command's JSON (null if unreadable) and `df -Pk` of its data. */
export interface SafetyFacts {
  signals: Raw | null;
  disk: { available_bytes: number; total_bytes: number } | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Parse `df -Pk PATH` output: the second line's 1K-blocks total and available. */
export function parseDf(text: string): SafetyFacts['disk'] {
  const line = text.trim().split(/\r?\n/)[1];
  const f = line?.trim().split(/\s+/);
  if (!f || f.length < 4) return null;
  const total = Number(f[1]);
  const avail = Number(f[3]);
  if (!Number.isFinite(total) || !Number.isFinite(avail)) return null;
  return { available_bytes: avail * 1024, total_bytes: total * 1024 };
}

/**
 * The seed's safety status from the gateway's signals and Rigger's thresholds. Pure. A signal
 * the gateway does not report is `unknown`, and unknown blocks: silence is not safety.
 */
export function evaluateSafety(
  facts: SafetyFacts,
  limits: Settings['safety_constraints'],
  overridden: readonly ConstraintName[],
): SafetyStatus {
  const s = facts.signals ?? {};
  const lift = (name: ConstraintName, blocking: boolean) =>
    blocking && overridden.includes(name) ? { blocking: false, overridden: true } : { blocking };

  const motion = str(s.crane_motion?.status) ?? 'unknown';
  const acs = str(s.acs_collision?.status) ?? 'unknown';
  const level = num(s.ups_battery?.level);
  const net = str(s.network_connectivity?.status) ?? 'unknown';
  const freePct = facts.disk ? (100 * facts.disk.available_bytes) / facts.disk.total_bytes : null;
  const minFree = facts.disk ? (facts.disk.total_bytes * limits.disk_space_threshold) / 100 : null;

  const constraints: SafetyStatus['constraints'] = {
    crane_motion: {
      enabled: limits.crane_motion_lock,
      status: motion,
      ...lift('crane_motion', limits.crane_motion_lock && motion !== 'idle'),
      last_movement: str(s.crane_motion?.last_movement),
      timeout: num(s.crane_motion?.timeout) ?? 300,
    },
    acs_collision: {
      enabled: limits.acs_collision_warning,
      status: acs,
      ...lift('acs_collision', limits.acs_collision_warning && acs !== 'clear'),
      distance: num(s.acs_collision?.distance),
      safe_threshold: num(s.acs_collision?.safe_threshold) ?? 5.0,
    },
    ups_battery: {
      enabled: limits.ups_battery_check,
      level,
      minimum_required: limits.minimum_battery_level,
      ...lift(
        'ups_battery',
        limits.ups_battery_check && (level === null || level < limits.minimum_battery_level),
      ),
      estimated_runtime: str(s.ups_battery?.estimated_runtime),
    },
    network_connectivity: {
      enabled: limits.network_connectivity,
      status: net,
      ...lift('network_connectivity', limits.network_connectivity && net !== 'connected'),
      latency: num(s.network_connectivity?.latency),
      stability: str(s.network_connectivity?.stability),
    },
    disk_space: {
      enabled: true,
      available: seedSize(facts.disk?.available_bytes ?? null),
      minimum_required: seedSize(minFree),
      ...lift('disk_space', freePct === null || freePct < limits.disk_space_threshold),
    },
  };
  const names = Object.keys(constraints) as ConstraintName[];
  const blocking = names.filter((n) => constraints[n].blocking);
  const unknown =
    [motion, acs, net].filter((v) => v === 'unknown').length + (level === null ? 1 : 0);
  const recommendations: string[] = [];
  if (facts.signals === null)
    recommendations.push("The gateway's safety signals cannot be read: check its safety_command");
  for (const n of blocking) recommendations.push(advice[n]);
  if (overridden.length) recommendations.push(`Override active for: ${overridden.join(', ')}`);
  if (!blocking.length) recommendations.push('System ready for updates');
  return {
    constraints,
    force_override: overridden.length > 0,
    update_allowed: blocking.length === 0,
    safety_score: Math.max(0, 100 - 25 * blocking.length - 5 * unknown - 5 * overridden.length),
    recommendations,
    overridden: [...overridden],
  };
}

const advice: Record<ConstraintName, string> = {
  crane_motion: 'Wait until the crane is idle (or stop it) before updating',
  acs_collision: 'Clear the anti-collision warning before updating',
  ups_battery: 'Charge the UPS above the minimum battery level',
  network_connectivity: "Restore the gateway's network connectivity",
  disk_space: "Free space on the gateway's data partition",
};

/** The blocking constraints of a status, with their details, for an OTA_002 error. */
export function blockingDetails(s: SafetyStatus): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s.constraints)) if (v.blocking) out[k] = v;
  return out;
}

/** Suggested actions for the blocking constraints of a status. */
export function blockingAdvice(s: SafetyStatus): string[] {
  return (Object.keys(s.constraints) as ConstraintName[])
    .filter((k) => s.constraints[k].blocking)
    .map((k) => advice[k]);
}
