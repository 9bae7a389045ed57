import { describe, expect, it } from 'vitest';
import {
  computeStatistics,
  parsePeriod,
} from '../../../../src/main/core/backup-places/reports/statistics';
import { daily, rec } from './records';

const now = new Date('2025-06-12T12:00:00Z');

describe('backup statistics', () => {
  it("summarises a period in the seed's shape from the records", () => {
    const records = [
      ...daily(10, '2025-06-12', { size: 200 * 1024 * 1024, locations: ['local'] }),
      rec('cfg', '2025-06-12T05:00:00Z', {
        type: 'config',
        size: 1024 * 1024,
        locations: ['local', 'aws'],
      }),
      rec('bad', '2025-06-11T03:00:00Z', {
        status: 'failed',
        failure_reason: 'link dropped',
        files: [],
      }),
      rec('old', '2025-03-01T02:00:00Z', { size: 5 }),
    ];
    const s = computeStatistics(records, '7d', now);
    expect(s.period).toBe('7d');
    expect(s.summary).toMatchObject({
      total_backups: 9,
      successful: 8,
      failed: 1,
      success_rate: '88.9%',
      total_size: '1.4 GB',
      average_size: '175 MB',
    });
    expect(s.by_type).toEqual({
      full: { count: 7, size: '1.4 GB' },
      config: { count: 1, size: '1 MB' },
    });
    expect(s.timeline[0]).toEqual({ date: '2025-06-12', successful: 2, failed: 0, size: '201 MB' });
    expect(s.timeline[1]).toEqual({ date: '2025-06-11', successful: 1, failed: 1, size: '200 MB' });
    expect(s.storage_distribution).toEqual({
      local: { count: 8, size: '1.4 GB' },
      aws: { count: 1, size: '1 MB' },
    });
  });

  it('storage used and growth count deduplicated bytes once', () => {
    const sizes = new Map([
      ['base', 1000],
      ['a', 100],
      ['b', 100],
    ]);
    const records = [
      rec('x', '2025-05-01T02:00:00Z', { blobs: ['base'] }),
      rec('y', '2025-06-10T02:00:00Z', { blobs: ['base', 'a'] }),
      rec('z', '2025-06-11T02:00:00Z', { blobs: ['base', 'a', 'b'] }),
    ];
    const s = computeStatistics(records, '7d', now, sizes);
    expect(s.summary.storage_used).toBe('1.2 KB');
    expect(s.summary.storage_growth).toBe('200 B/week');
    // The same in bytes for the charts: three backups of `rec`'s size hold what 1,200 stored
    // bytes keep; deduplication saves the rest.
    const logical = records.reduce((n, r) => n + r.size, 0);
    expect(s.bytes).toMatchObject({ stored: 1200, logical_all: logical });
    expect(s.bytes.dedup_saved).toBe(Math.max(0, logical - 1200));
    expect(Object.keys(s.bytes.by_day).sort()).toEqual(['2025-06-10', '2025-06-11']);
  });

  it('an empty period is valid, and a bad period is refused', () => {
    const s = computeStatistics([], '24h', now);
    expect(s.summary).toMatchObject({ total_backups: 0, success_rate: 'n/a', total_size: '0 B' });
    expect(s.timeline).toEqual([]);
    expect(parsePeriod(undefined)).toBe('30d');
    expect(() => parsePeriod('1y')).toThrow(/not a statistics period/);
  });
});
