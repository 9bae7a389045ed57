import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { WritePlan } from '../../../../src/main/core/slots/contract';
import { checkPlan, fullPlan, isFullWrite, planBytes } from '../../../../src/main/core/slots/plan';
import { fileSource } from '../../../../src/main/core/slots/sources';

const read = async (s: Readable) => {
  const parts: Buffer[] = [];
  for await (const c of s) parts.push(c as Buffer);
  return Buffer.concat(parts);
};

describe('write plans', () => {
  it('the full plan is one raw send of every byte, and covers the image', () => {
    const p = fullPlan(1000);
    expect(isFullWrite(p, 1000)).toBe(true);
    expect(isFullWrite(p, 999)).toBe(false);
    expect(() => checkPlan(p, 1000)).not.toThrow();
    expect(planBytes(p)).toEqual({ send: 1000, copy: 0, keep: 0 });
  });

  it('a delta plan counts what is sent, copied on the gateway and kept', () => {
    const p: WritePlan = {
      wire: 'gzip',
      reason: 'delta',
      ranges: [
        { kind: 'keep', start: 0, length: 4096 },
        { kind: 'copy', start: 4096, length: 8192, from: { slot: 'A', offset: 0 } },
        { kind: 'send', start: 12288, length: 100 },
      ],
    };
    expect(() => checkPlan(p, 12388)).not.toThrow();
    expect(isFullWrite(p, 12388)).toBe(false);
    expect(planBytes(p)).toEqual({ send: 100, copy: 8192, keep: 4096 });
  });

  it('refuses plans with gaps, overlaps, out of order ranges or the wrong size', () => {
    const r = (start: number, length: number) => ({ kind: 'send' as const, start, length });
    const bad: [WritePlan['ranges'], number][] = [
      [[r(0, 10), r(11, 9)], 20],
      [[r(0, 10), r(5, 15)], 20],
      [[r(10, 10), r(0, 10)], 20],
      [[r(0, 10)], 20],
      [[r(0, 30)], 20],
      [[r(0, 0), r(0, 20)], 20],
    ];
    for (const [ranges, size] of bad) {
      expect(() => checkPlan({ wire: 'raw', reason: 'x', ranges }, size)).toThrow(
        expect.objectContaining({ code: 'INTERNAL' }),
      );
    }
  });
});

describe('a slot image in a file', () => {
  const bytes = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 13) & 0xff));
  const dir = mkdtempSync(join(tmpdir(), 'rigger-source-'));
  const facts = {
    id: 'snapshot:x',
    version: null,
    size: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };

  for (const gzip of [false, true]) {
    it(`reads all of it or one range, ${gzip ? 'gzip' : 'raw'} on disk`, async () => {
      const file = join(dir, gzip ? 'a.img.gz' : 'a.img');
      writeFileSync(file, gzip ? gzipSync(bytes) : bytes);
      const src = fileSource(file, facts);
      expect(src.stored.compression).toBe(gzip ? 'gzip' : 'none');
      expect(src.stored.size).toBeLessThanOrEqual(bytes.length);
      expect((await read(src.open())).equals(bytes)).toBe(true);
      const range = { start: 70_001, length: 123_457 };
      const part = await read(src.open(range));
      expect(part.equals(bytes.subarray(range.start, range.start + range.length))).toBe(true);
      expect((await read(src.stored.open())).length).toBe(src.stored.size);
    });
  }
});
