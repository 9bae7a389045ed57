import type { BatchUpdate, TargetStatus } from '../../../shared/fleet-ota';

/**
 * Split a rollout's devices into waves: the first holds `percentage` of them (at least one, as
 * hawkBit's first group), the rest are spread over `groups` waves of near-equal size, in order.
 */
export function planWaves<T>(items: readonly T[], percentage: number, groups: number): T[][] {
  if (items.length === 0) return [];
  const first = Math.min(items.length, Math.max(1, Math.ceil((items.length * percentage) / 100)));
  const waves: T[][] = [items.slice(0, first)];
  const rest = items.slice(first);
  const n = Math.min(groups, rest.length);
  for (let i = 0, at = 0; i < n; i++) {
    const size = Math.floor(rest.length / n) + (i < rest.length % n ? 1 : 0);
    waves.push(rest.slice(at, at + size));
    at += size;
  }
  return waves;
}

/** What a wave's targets say about the wave (hawkBit's success and error conditions). */
export type WaveVerdict =
  /** Enough succeeded: the next wave may start (hawkBit's success action NEXTGROUP). */
  | 'done'
  /** Too many failed: the rollout pauses (hawkBit's error action PAUSE). */
  | 'failed'
  /** Every target has ended but too few succeeded: the rollout pauses for a person to look. */
  | 'short'
  /** Still going. */
  | 'open';

const OPEN: readonly TargetStatus[] = ['waiting', 'running', 'postponed'];

/** Judge a wave by its targets' states and the rollout's thresholds (percent of counted targets). */
export function judgeWave(
  statuses: readonly TargetStatus[],
  gates: Pick<BatchUpdate, 'success_threshold' | 'error_threshold'>,
): WaveVerdict {
  // A skipped device is out of the wave: it counts neither way.
  const counted = statuses.filter((s) => s !== 'skipped' && s !== 'cancelled');
  if (counted.length === 0) return 'done';
  const pct = (s: TargetStatus) => (counted.filter((x) => x === s).length / counted.length) * 100;
  if (pct('failed') > gates.error_threshold) return 'failed';
  if (pct('success') >= gates.success_threshold) return 'done';
  if (!counted.some((s) => OPEN.includes(s))) return 'short';
  return 'open';
}
