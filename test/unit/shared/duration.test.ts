import { describe, expect, it } from 'vitest';
import { seedDuration } from '../../../src/shared/format/duration';

describe('seedDuration', () => {
  it('writes durations as the seed does', () => {
    expect(seedDuration(330)).toBe('5m 30s');
    expect(seedDuration(40)).toBe('40s');
    expect(seedDuration(600)).toBe('10m');
    expect(seedDuration(3900)).toBe('1h 5m');
    expect(seedDuration(-3)).toBe('0s');
  });
});
