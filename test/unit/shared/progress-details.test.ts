import { describe, expect, it } from 'vitest';
import { progressDetails, progressFigures } from '../../../src/shared/progress-details';

describe('progressDetails', () => {
  it("writes the seed's bytes_written, bytes_total and speed, with the numbers beside them", () => {
    const d = progressDetails(385_000_000, 452_000_000, 5_200_000);
    expect(d).toMatchObject({ bytes_written: '385MB', bytes_total: '452MB', speed: '5.2MB/s' });
    expect(progressFigures({ ...d })).toEqual({
      done: 385_000_000,
      total: 452_000_000,
      bytesPerSecond: 5_200_000,
    });
  });

  it('says 0B/s when nothing moves and null for an unknown total', () => {
    const d = progressDetails(0, null, 0);
    expect(d).toMatchObject({ bytes_written: '0B', bytes_total: null, speed: '0B/s' });
    expect(progressFigures({ ...d }).total).toBeNull();
  });
});
