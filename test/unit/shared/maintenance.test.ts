import { describe, expect, it } from 'vitest';
import { windowState } from '../../../src/shared/maintenance';
import { settingsSchema } from '../../../src/shared/settings';

const win = (w: object) => settingsSchema.parse({ maintenance_window: w }).maintenance_window;
/** 2026-11-23 is a Monday; all times are the laptop's local time. */
const at = (day: number, h: number, m = 0) => new Date(2026, 10, day, h, m);

describe('maintenance window', () => {
  it('disabled: always open, nothing to wait for', () => {
    expect(windowState(win({ enabled: false }), at(23, 12))).toMatchObject({
      enabled: false,
      open: true,
    });
  });

  it('daily 02:00 for an hour: open at 02:30, closed at 03:00 with the next opening tomorrow', () => {
    const w = win({ enabled: true, time: '02:00', duration: 3600 });
    const open = windowState(w, at(23, 2, 30));
    expect(open.open).toBe(true);
    expect(open.closes_at).toBe(at(23, 3).toISOString());
    const closed = windowState(w, at(23, 3));
    expect(closed.open).toBe(false);
    expect(closed.opens_at).toBe(at(24, 2).toISOString());
  });

  it('a window crossing midnight is open after midnight on the next day', () => {
    const w = win({
      enabled: true,
      schedule: 'custom',
      days: ['Friday'],
      time: '22:00',
      duration: 4 * 3600,
    });
    // Friday 27th 22:00 until Saturday 28th 02:00.
    expect(windowState(w, at(28, 1, 59)).open).toBe(true);
    expect(windowState(w, at(28, 2)).open).toBe(false);
    expect(windowState(w, at(28, 2)).opens_at).toBe(at(4 + 30, 22).toISOString());
  });

  it('weekdays skip the weekend; weekends skip the week', () => {
    const weekdays = win({ enabled: true, schedule: 'weekdays', time: '06:00', duration: 600 });
    // Saturday 28th noon: next opening Monday 30th 06:00.
    expect(windowState(weekdays, at(28, 12)).opens_at).toBe(at(30, 6).toISOString());
    const weekends = win({ enabled: true, schedule: 'weekends', time: '06:00', duration: 600 });
    // Monday 23rd: next opening Saturday 28th.
    expect(windowState(weekends, at(23, 12)).opens_at).toBe(at(28, 6).toISOString());
    expect(windowState(weekends, at(29, 6, 5)).open).toBe(true);
  });
});
