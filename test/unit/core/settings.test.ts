import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSettings } from '../../../src/main/core/settings';
import { openDatabase } from '../../../src/main/core/store/database';
import { settingsSchema } from '../../../src/shared/settings';

const service = () => createSettings(openDatabase(mkdtempSync(join(tmpdir(), 'rigger-set-'))));

describe('settings', () => {
  it("starts from defaults in the seed's shape", () => {
    const s = service().get();
    expect(settingsSchema.parse(s)).toEqual(s);
    expect(s.channels).toEqual({ current: 'stable', available: ['stable', 'beta', 'nightly'] });
    expect(s.safety_constraints.minimum_battery_level).toBe(30);
  });

  it("updates part of the document and answers the seed's changes map", () => {
    const svc = service();
    const r = svc.update({
      channels: { current: 'beta' },
      maintenance_window: { schedule: 'weekends', time: '04:00' },
    });
    expect(r).toEqual({
      status: 'updated',
      message: 'Settings updated successfully',
      restart_required: false,
      ignored: [],
      changes: {
        'channels.current': { old: 'stable', new: 'beta' },
        'maintenance_window.schedule': { old: 'daily', new: 'weekends' },
        'maintenance_window.time': { old: '02:00', new: '04:00' },
      },
    });
    expect(svc.get().channels.current).toBe('beta');
    expect(svc.get().maintenance_window.duration).toBe(3600);
  });

  it('refuses an unknown key or a wrong value and changes nothing', () => {
    const svc = service();
    expect(() => svc.update({ channels: { current: 'alpha' } })).toThrow(/channels.current/);
    expect(() => svc.update({ auto_update: { colour: true } })).toThrow(/auto_update/);
    expect(() => svc.update({ nonsense: 1 })).toThrow(
      expect.objectContaining({ code: 'VALIDATION_ERROR' }),
    );
    expect(svc.get().channels.current).toBe('stable');
  });
});
