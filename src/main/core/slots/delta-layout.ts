import { RiggerError } from '../../../shared/errors';
import type { Profile, SlotId } from '../../../shared/profile';
import { shq } from '../gateways/session';
import type { PlanRange, WritePlan } from './contract';
import { BLOCK } from './read-back';

/** The block the delta's ranges are cut in (a block index's 4 KiB). */
export const DELTA_BLOCK = 4096;

/** A `send` range and where its bytes sit in the staged payload. */
export interface StagedRange {
  start: number;
  length: number;
  /** Offset of its first byte in the payload (the `send` ranges' bytes one after the other). */
  at: number;
}

/**
 * Where a delta puts things in the target slot: its `send` bytes are first staged, one after
 * the other, past the end of the image (a region nothing reads: the image's filesystem ends
 * before it), then placed by the gateway's own `dd`s, whose inputs are then files, never a pipe
 * that may read short.
 */
export interface DeltaLayout {
  /** Byte offset of the staging area in the target slot (a multiple of dd's 64 KiB block). */
  stageAt: number;
  /** Bytes of the payload (every `send` range's). */
  payload: number;
  sends: StagedRange[];
}

const alignUp = (n: number, to: number) => Math.ceil(n / to) * to;

/** Is this plan a delta (anything kept or copied, not one full `send`)? */
export const isDelta = (plan: WritePlan) => plan.ranges.some((r) => r.kind !== 'send');

/** The layout of a delta plan in the target slot. */
export function layoutOf(plan: WritePlan, size: number): DeltaLayout {
  let payload = 0;
  const sends: StagedRange[] = [];
  for (const r of plan.ranges) {
    if (
      r.start % DELTA_BLOCK !== 0 ||
      (r.length % DELTA_BLOCK !== 0 && r.start + r.length !== size)
    )
      throw new RiggerError('INTERNAL', 'A delta range is not cut at 4 KiB blocks', { range: r });
    if (r.kind === 'copy' && r.from.offset % DELTA_BLOCK !== 0)
      throw new RiggerError('INTERNAL', 'A delta copy does not start on a 4 KiB block', {
        range: r,
      });
    if (r.kind !== 'send') continue;
    sends.push({ start: r.start, length: r.length, at: payload });
    payload += r.length;
  }
  return { stageAt: alignUp(size + DELTA_BLOCK, BLOCK), payload, sends };
}

/** Bytes of the target slot a delta uses: the image, then the staged payload after it. */
export const deltaSpan = (l: DeltaLayout) => l.stageAt + alignUp(l.payload, DELTA_BLOCK);

/** Refuse a delta whose staging area would not fit in the target slot (the caller falls back). */
export function roomFor(l: DeltaLayout, profile: Profile, target: SlotId): boolean {
  return deltaSpan(l) <= profile.slots[target].size_bytes;
}

/**
 * The gateway's commands that place the plan's bytes in `[from, to)` of the target slot, in
 * order: `copy` from the booted slot's device, `send` from the staging area, `keep` nothing.
 * Coalesced ranges: one `dd` per range (the planner already joined adjacent blocks). The last
 * `dd` flushes the device (`conv=fsync`), so a proven checkpoint after it is on storage.
 */
export function placeScript(
  plan: WritePlan,
  layout: DeltaLayout,
  devices: { target: string; slots: Record<SlotId, string> },
  from: number,
  to: number,
): string[] {
  const bs = DELTA_BLOCK;
  const lines: string[] = [];
  const staged = new Map(layout.sends.map((s) => [s.start, s.at]));
  // Devices by short shell variables: thousands of runs make the script's bytes count.
  const name = (dev: string) => (dev === devices.target ? '"$t"' : '"$s"');
  for (const r of plan.ranges as PlanRange[]) {
    const a = Math.max(r.start, from);
    const b = Math.min(r.start + r.length, to);
    if (a >= b || r.kind === 'keep') continue;
    const into = a - r.start;
    const src =
      r.kind === 'copy'
        ? { dev: devices.slots[r.from.slot], off: r.from.offset + into }
        : { dev: devices.target, off: layout.stageAt + staged.get(r.start)! + into };
    lines.push(
      `dd if=${name(src.dev)} of="$t" bs=${bs} skip=${src.off / bs} seek=${a / bs} count=${Math.ceil((b - a) / bs)} conv=notrunc`,
    );
  }
  if (!lines.length) return [];
  lines[lines.length - 1] = lines[lines.length - 1] + ',fsync';
  const other = Object.values(devices.slots).find((d) => d !== devices.target) ?? devices.target;
  // dd's record counts on standard error would cross the link for nothing.
  return [`t=${shq(devices.target)} s=${shq(other)}; exec 2>/dev/null`, ...lines];
}
