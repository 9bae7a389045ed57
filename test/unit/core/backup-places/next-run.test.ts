import { describe, expect, it } from 'vitest';
import {
  cronOf,
  dueBetween,
  nextExecution,
} from '../../../../src/main/core/backup-places/schedules/next-run';

const at = (iso: string) => new Date(iso);
const base = { time: '02:00', timezone: 'UTC' } as const;

describe('next execution', () => {
  it('daily, weekly and monthly at a time in a zone', () => {
    expect(
      nextExecution({ ...base, frequency: 'daily' }, at('2025-06-12T02:00:00Z')).toISOString(),
    ).toBe('2025-06-13T02:00:00.000Z');
    expect(
      nextExecution(
        { ...base, frequency: 'daily', timezone: 'Europe/Berlin' },
        at('2025-06-12T03:00:00Z'),
      ).toISOString(),
    ).toBe('2025-06-13T00:00:00.000Z');
    // 2025-06-12 is a Thursday; day 1 = Monday.
    expect(
      nextExecution(
        { ...base, frequency: 'weekly', day_of_week: 1 },
        at('2025-06-12T00:00:00Z'),
      ).toISOString(),
    ).toBe('2025-06-16T02:00:00.000Z');
  });

  it('monthly on the 31st runs on the last day of shorter months, once', () => {
    const s = { ...base, frequency: 'monthly' as const, day_of_month: 31 };
    expect(
      dueBetween(s, at('2025-01-01T00:00:00Z'), at('2025-05-01T00:00:00Z')).map((d) =>
        d.toISOString().slice(0, 10),
      ),
    ).toEqual(['2025-01-31', '2025-02-28', '2025-03-31', '2025-04-30']);
    const d30 = { ...s, day_of_month: 30 };
    expect(
      dueBetween(d30, at('2025-01-01T00:00:00Z'), at('2025-04-01T00:00:00Z')).map((d) =>
        d.toISOString().slice(0, 10),
      ),
    ).toEqual(['2025-01-30', '2025-02-28', '2025-03-30']);
  });

  it('a cron expression, and a time that does not exist in the zone that day (DST) runs once after', () => {
    expect(
      nextExecution(
        { ...base, frequency: 'cron', cron: '15 */6 * * 1-5' },
        at('2025-06-13T19:00:00Z'),
      ).toISOString(),
    ).toBe('2025-06-16T00:15:00.000Z');
    const spring = nextExecution(
      { time: '02:30', timezone: 'Europe/Berlin', frequency: 'daily' },
      at('2025-03-29T12:00:00Z'),
    );
    expect(spring.toISOString()).toBe('2025-03-30T01:30:00.000Z');
  });

  it('refuses an impossible time, zone or expression', () => {
    for (const bad of ['25:00', '12:60', '2:00', 'noon'])
      expect(() => cronOf({ ...base, time: bad, frequency: 'daily' })).toThrow(/not a time of day/);
    expect(() => cronOf({ ...base, timezone: 'Mars/Olympus', frequency: 'daily' })).toThrow(
      /not a time zone/,
    );
    expect(() => cronOf({ ...base, frequency: 'cron', cron: '61 2 * * *' })).toThrow(
      /not a schedule/,
    );
    expect(() => cronOf({ ...base, frequency: 'cron', cron: '* * *' })).toThrow(/five-field/);
    expect(() => cronOf({ ...base, frequency: 'cron' })).toThrow(/needs its expression/);
  });
});
