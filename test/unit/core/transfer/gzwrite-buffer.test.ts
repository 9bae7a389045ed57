import { describe, expect, it } from 'vitest';
import { gzwriteBuffer } from '../../../../src/main/core/transfer/uboot-net';

describe('gzwriteBuffer', () => {
  it('takes 1 MiB unless the output is a whole number of MiB', () => {
    expect(gzwriteBuffer(16 * 1024 * 1024 + 512)).toBe(0x100000);
    expect(gzwriteBuffer(1000)).toBe(0x100000);
  });

  it('never divides the output exactly (U-Boot would end on a zero-block write) and stays whole blocks', () => {
    for (const size of [
      16 * 1024 * 1024,
      64 * 1024 * 1024,
      0x100000 * 127 * 3,
      0xfe000 * 0xff800,
    ]) {
      const buf = gzwriteBuffer(size);
      expect(size % buf).not.toBe(0);
      expect(buf % 512).toBe(0);
      expect(buf).toBeGreaterThan(0x80000);
    }
    expect(gzwriteBuffer(8 * 1024 * 1024, 4096) % 4096).toBe(0);
  });
});
