import { describe, expect, it } from 'vitest';
import {
  formatClock,
  formatDate,
  formatDateTime,
  formatSeedTime,
  clockSeconds,
  parseSeedTime,
  seedClock,
  seedHms,
  seedTime,
  seedTimeOrNull,
} from '../../../../src/shared/format/time';

describe('times: 24 h local for people, UTC in the seed shape', () => {
  it('gives local date and time on a 24 h clock', () => {
    const iso = new Date(2026, 0, 2, 17, 5, 9).toISOString();
    expect(formatDateTime(iso)).toBe('2026-01-02 17:05:09');
    expect(formatClock(iso)).toBe('17:05:09');
    expect(formatDate(iso)).toBe('2026-01-02');
  });

  it('says unknown for a missing or unreadable time', () => {
    expect(formatDateTime(null)).toBe('unknown');
    expect(formatClock('garbage')).toBe('unknown');
    expect(formatDate(undefined)).toBe('unknown');
  });

  it('writes the seed time in UTC', () => {
    expect(seedTime('2025-03-10T14:32:11.123Z')).toBe('2025-03-10 14:32:11');
    expect(seedTime(new Date(Date.UTC(2025, 2, 10, 14, 32, 11)))).toBe('2025-03-10 14:32:11');
    expect(seedTimeOrNull('not a time')).toBeNull();
    expect(seedTimeOrNull(null)).toBeNull();
    expect(() => seedTime('not a time')).toThrow(RangeError);
  });

  it('reads seed times and durations back', () => {
    expect(parseSeedTime('2025-03-10 14:32:11')?.toISOString()).toBe('2025-03-10T14:32:11.000Z');
    expect(parseSeedTime('2025-03-10T14:32:11Z')).toBeNull();
    expect(parseSeedTime(null)).toBeNull();
    expect(clockSeconds('02:05')).toBe(125);
    expect(clockSeconds('1:02:05')).toBe(3725);
    expect(clockSeconds('soon')).toBeNull();
    expect(clockSeconds(null)).toBeNull();
    expect(seedClock(125)).toBe('02:05');
    expect(seedClock(3725)).toBe('01:02:05');
    expect(seedClock(-3)).toBe('00:00');
  });

  it("writes the backup seeds' durations with the hours always shown", () => {
    expect(seedHms(315)).toBe('00:05:15');
    expect(seedHms(3600 + 61)).toBe('01:01:01');
    expect(seedHms(100 * 3600)).toBe('100:00:00');
    for (const none of [-3, Number.NaN, Number.POSITIVE_INFINITY])
      expect(seedHms(none)).toBe('00:00:00');
  });

  it('shows a seed time in local time, and an unreadable one as given', () => {
    const utc = '2025-03-10 14:32:11';
    expect(formatSeedTime(utc)).toBe(formatDateTime(new Date(Date.UTC(2025, 2, 10, 14, 32, 11))));
    expect(formatSeedTime('yesterday')).toBe('yesterday');
    expect(formatSeedTime(null)).toBe('unknown');
  });
});
