import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatSpeed,
  megabytes,
  seedSize,
  seedSpeed,
} from '../../../../src/shared/format/bytes';

describe('sizes: one decimal SI convention', () => {
  it('writes sizes for people with decimal units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1000)).toBe('1 kB');
    expect(formatBytes(62_900_000)).toBe('62.9 MB');
    expect(formatBytes(452_000_000)).toBe('452 MB');
    expect(formatBytes(1_200_000_000)).toBe('1.2 GB');
    expect(formatSpeed(2_500_000)).toBe('2.5 MB/s');
  });

  it('the same figure in the seed spelling: no space, null for unknown', () => {
    expect(seedSize(62_900_000)).toBe('62.9MB');
    expect(seedSize(8 * 1024 ** 3)).toBe('8.59GB');
    expect(seedSize(null)).toBeNull();
    expect(seedSize(-1)).toBeNull();
    expect(seedSize(Number.NaN)).toBeNull();
    expect(seedSpeed(2_500_000)).toBe('2.5MB/s');
    expect(seedSpeed(0)).toBeNull();
  });

  it('megabytes beside size_unit MB agree with the people figure', () => {
    expect(megabytes(62_912_345)).toBe(62.9);
    expect(formatBytes(megabytes(62_912_345) * 1_000_000)).toBe('62.9 MB');
  });

  it('never shows a negative or non-numeric size', () => {
    expect(formatBytes(-5)).toBe('0 B');
    expect(formatBytes(Number.NaN)).toBe('0 B');
  });
});
