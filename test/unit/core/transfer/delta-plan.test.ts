import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { blockIndexOf } from '../../../../src/main/core/transfer/block-index';
import {
  describePlan,
  planDelta,
  type DeltaRange,
} from '../../../../src/main/core/transfer/delta-plan';

const BS = 4096;
const BLOCKS = 2048; // 8 MiB

/** A seeded choice of `count` distinct block numbers, so failures can be reproduced. */
function pick(count: number, seed: number): number[] {
  const out = new Set<number>();
  let x = seed;
  while (out.size < count) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out.add((x >>> 8) % BLOCKS);
  }
  return [...out];
}

function changed(base: Buffer, blocks: number[]): Buffer {
  const next = Buffer.from(base);
  for (const b of blocks) randomBytes(BS).copy(next, b * BS);
  return next;
}

/** Apply a plan to the target's bytes with the booted slot's and the sent bytes: the result must be `next`. */
function apply(ranges: DeltaRange[], target: Buffer, booted: Buffer, next: Buffer): Buffer {
  const out = Buffer.from(
    target.length >= next.length
      ? target
      : Buffer.concat([target, Buffer.alloc(next.length - target.length)]),
  );
  for (const r of ranges) {
    if (r.kind === 'copy') booted.copy(out, r.offset, r.from, r.from + r.length);
    if (r.kind === 'send') next.copy(out, r.offset, r.offset, r.offset + r.length);
  }
  return out.subarray(0, next.length);
}

describe('delta plan', () => {
  const old = randomBytes(BLOCKS * BS);

  it('sends only the 5% of blocks changed at random when the target holds the old image', () => {
    const idx = pick(BLOCKS / 20, 7);
    const next = changed(old, idx);
    const plan = planDelta({
      next: blockIndexOf(next),
      target: blockIndexOf(old),
      booted: blockIndexOf(old),
    });
    expect(plan.blocks).toEqual({ send: idx.length, copy: 0, skip: BLOCKS - idx.length });
    expect(plan.bytes.send).toBe(idx.length * BS);
    expect(apply(plan.ranges, old, old, next).equals(next)).toBe(true);
    // Sent bytes stay within RAUC's adaptive cost: the changed blocks plus a 32-byte-per-block index.
    expect(plan.bytes.send).toBeLessThanOrEqual(idx.length * BS + 32 * BLOCKS);
  });

  it('makes few ranges of clustered changes (one package changed)', () => {
    const cluster = Array.from({ length: 100 }, (_, i) => 900 + i);
    const next = changed(old, cluster);
    const plan = planDelta({ next: blockIndexOf(next), target: blockIndexOf(old) });
    expect(plan.ranges).toEqual([
      { kind: 'skip', offset: 0, length: 900 * BS },
      { kind: 'send', offset: 900 * BS, length: 100 * BS },
      { kind: 'skip', offset: 1000 * BS, length: (BLOCKS - 1000) * BS },
    ]);
  });

  it('copies from the booted slot what the target lacks, also from other offsets', () => {
    const older = randomBytes(BLOCKS * BS); // the target holds an unrelated, older image
    // The new image: the booted image shifted by 3 blocks (files moved), plus 10 new blocks.
    const next = Buffer.concat([randomBytes(3 * BS), old.subarray(0, (BLOCKS - 3) * BS)]);
    const fresh = pick(10, 99).map((b) => Math.max(b, 3));
    const nextChanged = changed(next, fresh);
    const plan = planDelta({
      next: blockIndexOf(nextChanged),
      target: blockIndexOf(older),
      booted: blockIndexOf(old),
    });
    const freshCount = new Set(fresh).size;
    expect(plan.blocks.send).toBe(3 + freshCount);
    expect(plan.blocks.copy).toBe(BLOCKS - 3 - freshCount);
    expect(plan.ranges.find((r) => r.kind === 'copy')).toMatchObject({ offset: 3 * BS, from: 0 });
    expect(apply(plan.ranges, older, old, nextChanged).equals(nextChanged)).toBe(true);
  });

  it('sends everything when neither slot is known', () => {
    const plan = planDelta({ next: blockIndexOf(old) });
    expect(plan.ranges).toEqual([{ kind: 'send', offset: 0, length: old.length }]);
    expect(describePlan(plan)).toBe(
      '8.4 MB to send of 8.4 MB: 100% new, 0% copied on the gateway, 0% already in place',
    );
  });

  it('handles a short last block and a target of another size', () => {
    const next = Buffer.concat([old.subarray(0, 10 * BS), randomBytes(100)]);
    const target = old.subarray(0, 12 * BS);
    const plan = planDelta({
      next: blockIndexOf(next),
      target: blockIndexOf(target),
      booted: blockIndexOf(next.subarray(0, 10 * BS + 100)),
    });
    expect(plan.bytes).toEqual({ skip: 10 * BS, copy: 100, send: 0 });
    expect(apply(plan.ranges, target, next, next).equals(next)).toBe(true);
    const shorter = planDelta({
      next: blockIndexOf(next),
      target: blockIndexOf(old.subarray(0, 10 * BS + 50)),
    });
    expect(shorter.bytes).toEqual({ skip: 10 * BS, copy: 0, send: 100 });
  });

  it('refuses indexes of different block sizes', () => {
    expect(() => planDelta({ next: blockIndexOf(old), target: blockIndexOf(old, 512) })).toThrow(
      /block size/,
    );
  });

  it('says the plan in one line', () => {
    const next = changed(old, pick(100, 3));
    const plan = planDelta({
      next: blockIndexOf(next),
      target: blockIndexOf(randomBytes(old.length)),
      booted: blockIndexOf(old),
    });
    expect(describePlan(plan)).toBe(
      '0.4 MB to send of 8.4 MB: 5% new, 95% copied on the gateway, 0% already in place',
    );
  });
});
