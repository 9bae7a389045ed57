import { createHash, randomBytes } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { Core } from '../../../src/main/core/core';
import { makeSimImage } from '../../gateway-sim';

export const MiB = 1024 * 1024;

/** A compressible sim image (60% of each 4 KiB block zero, like a root filesystem). */
export function baseImage(version: string, size: number): Buffer {
  const raw = makeSimImage(version, size);
  for (let b = 4096; b < raw.length; b += 4096) raw.fill(0, b + 1638, b + 4096);
  return raw;
}

/**
 * `from` with a new version header and `share` of its 4 KiB blocks (past the header) rewritten
 * with random bytes: spread at random, or in one cluster (one package changed).
 */
export function changedImage(
  from: Buffer,
  version: string,
  share: number,
  how: 'random' | 'clustered' = 'random',
): Buffer {
  const out = Buffer.from(from);
  makeSimImage(version, 4096).copy(out, 0, 0, 512);
  const n = Math.floor(out.length / 4096);
  const count = Math.max(1, Math.round(n * share));
  const blocks = new Set<number>();
  if (how === 'clustered') for (let i = 0; i < count; i++) blocks.add(1 + Math.floor(n / 3) + i);
  while (blocks.size < count) blocks.add(1 + (randomBytes(4).readUInt32BE(0) % (n - 1)));
  for (const b of blocks) randomBytes(4096).copy(out, b * 4096);
  return out;
}

/** The first `size` bytes of a slot device of the sim, hashed. */
export function slotHash(root: string, dev: string, size: number) {
  const fd = openSync(join(root, 'dev', dev), 'r');
  const buf = Buffer.alloc(size);
  readSync(fd, buf, 0, size, 0);
  closeSync(fd);
  return createHash('sha256').update(buf).digest('hex');
}

/** The job's last choose_wire step: the way its write took, and why. */
export function chosen(core: Core, jobId: string) {
  const ways = core.jobs.store.steps(jobId).filter((s) => s.name === 'choose_wire');
  return ways[ways.length - 1]?.details ?? {};
}
