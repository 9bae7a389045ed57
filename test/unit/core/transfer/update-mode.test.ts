import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { blockIndexOf } from '../../../../src/main/core/transfer/block-index';
import { chooseUpdateMode } from '../../../../src/main/core/transfer/update-mode';

const BS = 4096;
const old = randomBytes(1024 * BS);
const next = Buffer.from(old);
for (let b = 0; b < 1024; b += 20) randomBytes(BS).copy(next, b * BS); // 5% of blocks
const oldIdx = blockIndexOf(old);
const nextIdx = blockIndexOf(next);
const none = { index: null, proven: false };

describe('chooseUpdateMode', () => {
  it('plans a delta against a proven target slot', () => {
    const m = chooseUpdateMode({
      next: nextIdx,
      target: { index: oldIdx, proven: true },
      booted: none,
      fullBytes: old.length,
    });
    expect(m.mode).toBe('delta');
    expect(m.plan!.blocks.send).toBe(52);
    expect(m.bytesOnWire).toBe(52 * BS + 16 * 52);
    expect(m.reason).toBe(
      'delta: 0.2 MB to send of 4.2 MB: 5% new, 0% copied on the gateway, 95% already in place',
    );
  });

  it('never mixes in a target slot that does not hold what the status file claims: blocks come from the booted slot, or the write is full', () => {
    const fromBooted = chooseUpdateMode({
      next: nextIdx,
      target: { index: oldIdx, proven: false },
      booted: { index: oldIdx, proven: true },
      fullBytes: old.length,
    });
    expect(fromBooted.mode).toBe('delta');
    expect(fromBooted.plan!.bytes.skip).toBe(0);
    expect(fromBooted.reason).toMatch(
      /target slot is not proven: blocks come only from the booted slot/,
    );
    const full = chooseUpdateMode({
      next: nextIdx,
      target: { index: oldIdx, proven: false },
      booted: none,
      fullBytes: 1000,
    });
    expect(full).toEqual({
      mode: 'full',
      reason:
        "full write: the target slot's read-back does not match the image the status file names",
      bytesOnWire: 1000,
    });
  });

  it('writes full when nothing is known, or when the delta saves too little', () => {
    expect(
      chooseUpdateMode({ next: nextIdx, target: none, booted: none, fullBytes: 5 }).reason,
    ).toBe('full write: no image is known and proven in either slot');
    const unrelated = blockIndexOf(randomBytes(old.length));
    const m = chooseUpdateMode({
      next: nextIdx,
      target: { index: unrelated, proven: true },
      booted: none,
      fullBytes: old.length / 2,
    });
    expect(m.mode).toBe('full');
    expect(m.reason).toMatch(
      /^full write: a delta would send 4.2 MB, not enough less than the full write's 2.1 MB$/,
    );
  });
});
