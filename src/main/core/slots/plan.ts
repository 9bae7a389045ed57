import { RiggerError } from '../../../shared/errors';
import type { PlanRange, WritePlan } from './contract';

/** Today's plan: every byte of the source sent raw over the wire. */
export function fullPlan(size: number): WritePlan {
  return { wire: 'raw', ranges: [{ kind: 'send', start: 0, length: size }], reason: 'full write' };
}

/** Is this the plain full write (one raw `send` of the whole source)? */
export const isFullWrite = (plan: WritePlan, size: number): boolean =>
  plan.wire === 'raw' &&
  plan.ranges.length === 1 &&
  plan.ranges[0]!.kind === 'send' &&
  plan.ranges[0]!.start === 0 &&
  plan.ranges[0]!.length === size;

/** Bytes of each kind in a plan, for the message shown before the write. */
export function planBytes(plan: WritePlan): Record<PlanRange['kind'], number> {
  const out = { send: 0, copy: 0, keep: 0 };
  for (const r of plan.ranges) out[r.kind] += r.length;
  return out;
}

/** Refuse a plan whose ranges do not cover `[0, size)` exactly, in order, without gaps. */
export function checkPlan(plan: WritePlan, size: number): void {
  let at = 0;
  for (const r of plan.ranges) {
    if (r.start !== at || r.length <= 0) break;
    at += r.length;
  }
  if (at !== size || plan.ranges.reduce((n, r) => n + r.length, 0) !== size) {
    throw new RiggerError(
      'INTERNAL',
      `The write plan does not cover the image exactly (${at} of ${size} bytes in order)`,
      { size, ranges: plan.ranges.length },
    );
  }
}
