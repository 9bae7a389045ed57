import { RiggerError } from '../../../shared/errors';
import { blockCount, blockHash, type BlockIndex } from './block-index';

/**
 * What to do with one run of the new image's bytes:
 * - `skip`: the target slot already holds them at this offset;
 * - `copy`: the booted slot holds them at `from`: the gateway copies them itself (a local dd);
 * - `send`: nobody has them: they travel.
 */
export type DeltaRange =
  | { kind: 'skip'; offset: number; length: number }
  | { kind: 'copy'; offset: number; length: number; from: number }
  | { kind: 'send'; offset: number; length: number };

export interface DeltaCost {
  skip: number;
  copy: number;
  send: number;
}

export interface DeltaPlan {
  blockSize: number;
  size: number;
  ranges: DeltaRange[];
  /** Bytes of the image in each category (send is what goes over the wire). */
  bytes: DeltaCost;
  blocks: DeltaCost;
}

export interface DeltaInputs {
  /** The image to write. */
  next: BlockIndex;
  /** The image the target slot is known (and proven) to hold, if any. */
  target?: BlockIndex | null;
  /** The image the booted slot is known to hold, if any: a read-only source of blocks. */
  booted?: BlockIndex | null;
}

/** A digest as a map key. */
const key = (h: Buffer) => h.toString('base64');

/**
 * Plan a delta write. Each block of the new image is looked up in place in the target slot,
 * then anywhere in the booted slot (files move between builds); what is found in neither is
 * sent. Blocks elsewhere in the target are never a source: the write overwrites them.
 */
export function planDelta({ next, target, booted }: DeltaInputs): DeltaPlan {
  for (const other of [target, booted]) {
    if (other && other.blockSize !== next.blockSize) {
      throw new RiggerError(
        'VALIDATION_ERROR',
        `Block indexes differ in block size (${other.blockSize} and ${next.blockSize})`,
      );
    }
  }
  const bs = next.blockSize;
  const n = blockCount(next);
  const tn = target ? blockCount(target) : 0;
  const inBooted = new Map<string, number>();
  if (booted) {
    // The first occurrence wins; walking backwards keeps it.
    for (let i = blockCount(booted) - 1; i >= 0; i--) inBooted.set(key(blockHash(booted, i)), i);
  }
  const ranges: DeltaRange[] = [];
  const bytes: DeltaCost = { skip: 0, copy: 0, send: 0 };
  const blocks: DeltaCost = { skip: 0, copy: 0, send: 0 };
  for (let i = 0; i < n; i++) {
    const h = blockHash(next, i);
    const offset = i * bs;
    const length = Math.min(bs, next.size - offset);
    let r: DeltaRange;
    // A short block matches only a short block of the same bytes: equal digests say both.
    if (
      target &&
      i < tn &&
      blockHash(target, i).equals(h) &&
      Math.min(bs, target.size - offset) === length
    ) {
      r = { kind: 'skip', offset, length };
    } else {
      // Prefer the same offset in the booted slot: long runs make fewer, longer copies.
      const same =
        booted && i < blockCount(booted) && blockHash(booted, i).equals(h) ? i : undefined;
      const at = same ?? inBooted.get(key(h));
      const fromLen = at === undefined || !booted ? 0 : Math.min(bs, booted.size - at * bs);
      r =
        at !== undefined && fromLen === length
          ? { kind: 'copy', offset, length, from: at * bs }
          : { kind: 'send', offset, length };
    }
    bytes[r.kind] += length;
    blocks[r.kind] += 1;
    const last = ranges[ranges.length - 1];
    if (
      last &&
      last.kind === r.kind &&
      last.offset + last.length === offset &&
      (last.kind !== 'copy' || r.kind !== 'copy' || last.from + last.length === r.from)
    ) {
      last.length += length;
    } else {
      ranges.push(r);
    }
  }
  return { blockSize: bs, size: next.size, ranges, bytes, blocks };
}

const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
const pct = (n: number, of: number) => `${of ? Math.round((n / of) * 100) : 0}%`;

/** The plan in one line, for the UI and the CLI before the write. */
export function describePlan(plan: DeltaPlan): string {
  const { bytes, size } = plan;
  return `${mb(bytes.send)} to send of ${mb(size)}: ${pct(bytes.send, size)} new, ${pct(bytes.copy, size)} copied on the gateway, ${pct(bytes.skip, size)} already in place`;
}
