import { describe, expect, it } from 'vitest';
import { evaluateSafety, parseDf } from '../../../../src/main/core/safety/signals';
import { settingsSchema } from '../../../../src/shared/settings';

const limits = settingsSchema.parse({}).safety_constraints;
const safe = {
  crane_motion: { status: 'idle' },
  acs_collision: { status: 'clear', distance: 12 },
  ups_battery: { level: 90 },
  network_connectivity: { status: 'connected' },
};
const disk = { available_bytes: 50e9, total_bytes: 100e9 };

describe('evaluateSafety', () => {
  it('allows an update when every signal is safe', () => {
    const s = evaluateSafety({ signals: safe, disk }, limits, []);
    expect(s).toMatchObject({ update_allowed: true, safety_score: 100, force_override: false });
    expect(s.recommendations).toContain('System ready for updates');
  });
  it('blocks on a moving crane and a low battery, with advice for each', () => {
    const s = evaluateSafety(
      {
        signals: { ...safe, crane_motion: { status: 'moving' }, ups_battery: { level: 10 } },
        disk,
      },
      limits,
      [],
    );
    expect(s.update_allowed).toBe(false);
    expect(s.constraints.crane_motion.blocking).toBe(true);
    expect(s.constraints.ups_battery).toMatchObject({ blocking: true, minimum_required: 30 });
    expect(s.recommendations.length).toBeGreaterThanOrEqual(2);
  });
  it('treats unreadable signals as blocking, never as safe', () => {
    const s = evaluateSafety({ signals: null, disk: null }, limits, []);
    expect(s.update_allowed).toBe(false);
    expect(s.constraints.crane_motion.status).toBe('unknown');
  });
  it('an override lifts only the named constraints', () => {
    const s = evaluateSafety(
      { signals: { ...safe, crane_motion: { status: 'moving' }, ups_battery: { level: 5 } }, disk },
      limits,
      ['ups_battery'],
    );
    expect(s.constraints.ups_battery).toMatchObject({ blocking: false, overridden: true });
    expect(s.update_allowed).toBe(false);
    expect(s.force_override).toBe(true);
  });
  it('blocks when free disk falls below the threshold; a disabled check does not block', () => {
    const low = evaluateSafety(
      { signals: safe, disk: { available_bytes: 1e9, total_bytes: 100e9 } },
      limits,
      [],
    );
    expect(low.constraints.disk_space.blocking).toBe(true);
    const off = evaluateSafety(
      { signals: { ...safe, crane_motion: { status: 'moving' } }, disk },
      { ...limits, crane_motion_lock: false },
      [],
    );
    expect(off.update_allowed).toBe(true);
  });
});

describe('parseDf', () => {
  it('reads POSIX df -Pk output', () => {
    const out =
      'Filesystem 1024-blocks Used Available Capacity Mounted on\n/dev/x 1000 400 600 40% /data\n';
    expect(parseDf(out)).toEqual({ available_bytes: 600 * 1024, total_bytes: 1000 * 1024 });
    expect(parseDf('garbage')).toBeNull();
  });
});
