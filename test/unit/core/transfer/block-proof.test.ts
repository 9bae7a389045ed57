import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { blockIndexOf } from '../../../../src/main/core/transfer/block-index';
import { blockProver } from '../../../../src/main/core/transfer/block-proof';

const image = randomBytes(10 * 4096 + 700); // a short last block
const index = blockIndexOf(image);
const mismatch = (actual: string) => new Error(`mismatch ${actual}`);

/** Feed blocks `from..to` (exclusive) of `bytes` in pieces of `piece` bytes. */
function feed(
  p: ReturnType<typeof blockProver>,
  bytes: Buffer,
  from: number,
  to: number,
  piece: number,
) {
  const end = Math.min(to * 4096, bytes.length);
  for (let at = from * 4096; at < end; at += piece) {
    p.update(at, bytes.subarray(at, Math.min(end, at + piece)));
  }
}

describe('the sent blocks proven against the block index', () => {
  it('proves whole blocks in any pieces, the short last one included', () => {
    const p = blockProver(index, mismatch);
    feed(p, image, 1, 3, 1000);
    feed(p, image, 6, 11, 4096 * 3);
    expect(() => p.end()).not.toThrow();
  });

  it('refuses a changed byte the moment its block is whole', () => {
    const bad = Buffer.from(image);
    bad[2 * 4096 + 17]! ^= 1;
    const p = blockProver(index, mismatch);
    feed(p, bad, 1, 2, 4096);
    expect(() => feed(p, bad, 2, 3, 4096)).toThrow(/mismatch [0-9a-f]{64}/);
  });

  it('refuses a block cut short, and bytes that do not start a block', () => {
    const p = blockProver(index, mismatch);
    p.update(4096, image.subarray(4096, 4096 + 100));
    expect(() => p.end()).toThrow(/block 1 cut short at 100 of 4096/);
    const q = blockProver(index, mismatch);
    expect(() => q.update(10, image.subarray(10, 20))).toThrow(/bytes at 10/);
  });
});
