import { gzipSync } from 'node:zlib';
import type { LibraryImage } from '../../../shared/images';
import type { SlotId } from '../../../shared/profile';
import type { PlanRange, WritePlan } from '../slots/contract';
import { chunks } from '../slots/sources';
import type { SlotSource } from '../slots/contract';
import type { BlockIndex } from '../transfer/block-index';
import { describePlan, planDelta, type DeltaPlan } from '../transfer/delta-plan';
import type { OtaDeps } from './context';
import type { DeltaFacts } from './update-plan';

/** The planner's ranges as the slot writer's: `skip` is `keep`, a `copy` names the booted slot. */
export function deltaWritePlan(
  delta: DeltaPlan,
  index: BlockIndex,
  booted: SlotId,
  wire: 'raw' | 'gzip',
  reason: string,
): WritePlan {
  const ranges: PlanRange[] = delta.ranges.map((r) =>
    r.kind === 'skip'
      ? { kind: 'keep', start: r.offset, length: r.length }
      : r.kind === 'copy'
        ? {
            kind: 'copy',
            start: r.offset,
            length: r.length,
            from: { slot: booted, offset: r.from },
          }
        : { kind: 'send', start: r.offset, length: r.length },
  );
  return { wire, ranges, reason, index };
}

/** The payload's sample Rigger compresses to guess its gzip size (whole when smaller). */
const SAMPLE = 2 * 1024 * 1024;

/**
 * The gzip size of a delta's payload, estimated from its first bytes (up to 2 MiB) compressed
 * as the transfer will (level 1); null when gzip would save almost nothing.
 */
export async function payloadGzipSize(
  src: SlotSource,
  plan: WritePlan,
  payload: number,
): Promise<number | null> {
  const sends = plan.ranges.filter((r) => r.kind === 'send');
  if (!sends.length) return null;
  const parts: Buffer[] = [];
  let have = 0;
  let pos = 0;
  let i = 0;
  for await (const c of chunks(src.open())) {
    const end = pos + c.length;
    while (i < sends.length && have < SAMPLE) {
      const s = sends[i]!;
      const a = Math.max(s.start, pos);
      const b = Math.min(s.start + s.length, end);
      if (a < b) {
        const piece = c.subarray(a - pos, b - pos).subarray(0, SAMPLE - have);
        parts.push(Buffer.from(piece));
        have += piece.length;
      }
      if (s.start + s.length <= end) i++;
      else break;
    }
    pos = end;
    if (have >= SAMPLE || i >= sends.length) break;
  }
  if (!have) return null;
  const ratio = gzipSync(Buffer.concat(parts), { level: 1 }).length / have;
  return Math.round(payload * ratio);
}

/**
 * The delta a job chose, built again from the library's block indexes when it is resumed. Its
 * slots were proven before any block was placed (the caller proves them again if the job
 * stopped before that), and since then only this job wrote the target; the read-back proves it.
 */
export async function rebuildDelta(
  d: Pick<OtaDeps, 'images'>,
  image: LibraryImage,
  booted: SlotId,
  facts: Pick<DeltaFacts, 'target_image' | 'booted_image' | 'wire'>,
): Promise<WritePlan> {
  const index = (id: string | null) => (id ? d.images.blockIndex(id) : null);
  const next = await d.images.blockIndex(image.id);
  const delta = planDelta({
    next,
    target: await index(facts.target_image),
    booted: await index(facts.booted_image),
  });
  return deltaWritePlan(delta, next, booted, facts.wire, `delta: ${describePlan(delta)}`);
}
