import type { BlockIndex } from './block-index';
import { describePlan, planDelta, type DeltaPlan } from './delta-plan';

/** What Rigger knows of a slot: the image the status file names, and whether it is proven. */
export interface KnownSlot {
  /** The block index of the image the slot should hold (null: no image known for it). */
  index: BlockIndex | null;
  /** True when the gateway's own read-back hash of the slot equals that image's SHA-256. */
  proven: boolean;
}

export interface UpdateMode {
  mode: 'delta' | 'full';
  reason: string;
  plan?: DeltaPlan;
  /** Bytes the chosen way puts on the wire (the plan's runs, or the full image as sent). */
  bytesOnWire: number;
}

/** A delta must save at least this share of the full write to be worth its many runs. */
const WORTH = 0.8;

/** Bytes a plan sends: its blocks plus an offset and a length per run. */
export const deltaWireBytes = (plan: DeltaPlan) =>
  plan.bytes.send + 16 * plan.ranges.filter((r) => r.kind !== 'skip').length;

/**
 * Delta or full write. Only slots whose content is proven by the gateway's own hash serve as a
 * source: a slot that does not hold what the status file claims is never mixed into the new
 * image; then the write is full, and the reason says so.
 */
export function chooseUpdateMode(i: {
  next: BlockIndex;
  target: KnownSlot;
  booted: KnownSlot;
  /** Bytes the full write would send (the gzip form when compression was chosen). */
  fullBytes: number;
}): UpdateMode {
  const full = (reason: string): UpdateMode => ({
    mode: 'full',
    reason: `full write: ${reason}`,
    bytesOnWire: i.fullBytes,
  });
  const target = i.target.proven ? i.target.index : null;
  const booted = i.booted.proven ? i.booted.index : null;
  if (!target && !booted) {
    const why =
      i.target.index && !i.target.proven
        ? "the target slot's read-back does not match the image the status file names"
        : 'no image is known and proven in either slot';
    return full(why);
  }
  const plan = planDelta({ next: i.next, target, booted });
  const wire = deltaWireBytes(plan);
  if (wire >= i.fullBytes * WORTH) {
    return full(
      `a delta would send ${(wire / 1e6).toFixed(1)} MB, not enough less than the full write's ${(i.fullBytes / 1e6).toFixed(1)} MB`,
    );
  }
  const unproven =
    i.target.index && !i.target.proven
      ? ' (the target slot is not proven: blocks come only from the booted slot)'
      : '';
  return {
    mode: 'delta',
    reason: `delta: ${describePlan(plan)}${unproven}`,
    plan,
    bytesOnWire: wire,
  };
}
