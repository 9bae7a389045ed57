import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { deltaWritePlan } from '../../../../src/main/core/ota/delta-source';
import {
  deltaSpan,
  layoutOf,
  placeScript,
  roomFor,
} from '../../../../src/main/core/slots/delta-layout';
import { blockIndexOf } from '../../../../src/main/core/transfer/block-index';
import { planDelta } from '../../../../src/main/core/transfer/delta-plan';
import type { Profile } from '../../../../src/shared/profile';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Blocks of `from` rewritten at random, one moved from elsewhere, and a short last block. */
function nextOf(from: Buffer): Buffer {
  const next = Buffer.from(from);
  for (const b of [3, 4, 9, 40, 41, 42, 77]) randomBytes(4096).copy(next, b * 4096);
  from.copy(next, 20 * 4096, 60 * 4096, 61 * 4096); // a block the booted slot has elsewhere
  return next;
}

describe('the delta layout and the placing script', () => {
  it("placed by the shell's dd from the stage and the booted slot, the slot holds the new image", () => {
    const dir = mkdtempSync(join(tmpdir(), 'rigger-delta-layout-'));
    dirs.push(dir);
    const old = randomBytes(100 * 4096 + 1000);
    const booted = Buffer.from(old);
    randomBytes(4096).copy(booted, 60 * 4096); // the booted slot differs from the target here
    const next = nextOf(booted);
    next.write('new header', 0);
    const nextIndex = blockIndexOf(next);
    const delta = planDelta({
      next: nextIndex,
      target: blockIndexOf(old),
      booted: blockIndexOf(booted),
    });
    const plan = deltaWritePlan(delta, nextIndex, 'A', 'raw', 'test');
    const layout = layoutOf(plan, next.length);
    expect(layout.stageAt % 65536).toBe(0);
    expect(layout.stageAt).toBeGreaterThanOrEqual(next.length + 4096);
    expect(plan.ranges.some((r) => r.kind === 'copy')).toBe(true);
    expect(plan.ranges.some((r) => r.kind === 'keep')).toBe(true);
    // The slots as files; the payload staged past the image in the target, as the transfer does.
    const target = join(dir, 'slot-b');
    const src = join(dir, 'slot-a');
    const slotB = Buffer.alloc(deltaSpan(layout) + 65536);
    old.copy(slotB, 0);
    for (const s of layout.sends)
      next.copy(slotB, layout.stageAt + s.at, s.start, s.start + s.length);
    writeFileSync(target, slotB);
    writeFileSync(src, Buffer.concat([booted, Buffer.alloc(8192)]));
    const devices = { target, slots: { A: src, B: target } };
    // In two batches, as the transfer cuts them at checkpoints.
    const half = 48 * 4096;
    for (const [a, b] of [
      [0, half],
      [half, next.length],
    ]) {
      const lines = placeScript(plan, layout, devices, a!, b!);
      execFileSync('sh', ['-e'], { input: ['set -e', ...lines].join('\n') + '\n' });
    }
    expect(readFileSync(target).subarray(0, next.length).equals(next)).toBe(true);
  });

  it('coalesced ranges: one dd per run, and a delta must fit the slot with its stage', () => {
    const old = randomBytes(64 * 4096);
    const next = Buffer.from(old);
    randomBytes(8 * 4096).copy(next, 10 * 4096);
    const plan = deltaWritePlan(
      planDelta({ next: blockIndexOf(next), target: blockIndexOf(old) }),
      blockIndexOf(next),
      'A',
      'raw',
      'test',
    );
    const lines = placeScript(
      plan,
      layoutOf(plan, next.length),
      {
        target: '/dev/b',
        slots: { A: '/dev/a', B: '/dev/b' },
      },
      0,
      next.length,
    );
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/count=8 conv=notrunc,fsync/);
    const layout = layoutOf(plan, next.length);
    const profile = {
      slots: { A: { size_bytes: 1 << 20 }, B: { size_bytes: deltaSpan(layout) - 1 } },
    };
    expect(roomFor(layout, profile as unknown as Profile, 'A')).toBe(true);
    expect(roomFor(layout, profile as unknown as Profile, 'B')).toBe(false);
  });
});
