import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAuditLog } from '../../../../src/main/core/audit';
import { createPinStore } from '../../../../src/main/core/safety/pin';
import { createSettings } from '../../../../src/main/core/settings';
import { openDatabase } from '../../../../src/main/core/store/database';

const setup = () => {
  const db = openDatabase(mkdtempSync(join(tmpdir(), 'rigger-gates-')));
  const pins = createPinStore(db, createAuditLog(db));
  pins.set('7392');
  const audit = () =>
    (
      db
        .prepare("SELECT outcome, details FROM audit_log WHERE action = 'settings.update'")
        .all() as Array<{
        outcome: string;
        details: string;
      }>
    ).map((r) => ({
      outcome: r.outcome,
      details: JSON.parse(r.details) as Record<string, unknown>,
    }));
  return { db, settings: createSettings(db), audit };
};

describe('settings that lower a safety or trust gate', () => {
  it.each([
    [{ safety_constraints: { crane_motion_lock: false } }, 'safety_constraints.crane_motion_lock'],
    [
      { safety_constraints: { minimum_battery_level: 10 } },
      'safety_constraints.minimum_battery_level',
    ],
    [
      { safety_constraints: { disk_space_threshold: 5 } },
      'safety_constraints.disk_space_threshold',
    ],
    [
      { safety_constraints: { acs_collision_warning: false } },
      'safety_constraints.acs_collision_warning',
    ],
  ])('need the PIN in the same request (%j), else OTA_010 and nothing changes', (patch, path) => {
    const { settings, audit } = setup();
    const before = settings.get();
    expect(() => settings.update(patch)).toThrow(
      expect.objectContaining({
        code: 'OTA_010',
        details: expect.objectContaining({ weakening: [path] }),
      }),
    );
    expect(() => settings.update({ ...patch, pin: '0000' })).toThrow(
      expect.objectContaining({ code: 'OTA_010' }),
    );
    expect(settings.get()).toEqual(before);
    expect(audit().map((a) => a.outcome)).toEqual(['refused', 'refused']);
    const r = settings.update({ ...patch, pin: '7392' });
    expect(Object.keys(r.changes)).toEqual([path]);
    const ok = audit().at(-1)!;
    expect(ok.outcome).toBe('ok');
    expect(ok.details).toMatchObject({ weakening: [path], changes: { [path]: r.changes[path] } });
  });

  it('turning the maintenance window off or enabling factory reset needs the PIN too', () => {
    const { settings } = setup();
    settings.update({ maintenance_window: { enabled: true } });
    settings.update({ recovery: { factory_reset_enabled: false } });
    expect(() => settings.update({ maintenance_window: { enabled: false } })).toThrow(
      expect.objectContaining({ code: 'OTA_010' }),
    );
    expect(() => settings.update({ recovery: { factory_reset_enabled: true } })).toThrow(
      expect.objectContaining({ code: 'OTA_010' }),
    );
    settings.update({ maintenance_window: { enabled: false }, pin: '7392' });
    expect(settings.get().maintenance_window.enabled).toBe(false);
  });

  it('harmless and tightening changes need no PIN and are audited with old and new values', () => {
    const { settings, audit } = setup();
    settings.update({ rigger: { theme: 'dark' } });
    settings.update({ safety_constraints: { minimum_battery_level: 50 } });
    expect(audit()).toEqual([
      {
        outcome: 'ok',
        details: { changes: { 'rigger.theme': { old: 'light', new: 'dark' } }, weakening: [] },
      },
      {
        outcome: 'ok',
        details: {
          changes: { 'safety_constraints.minimum_battery_level': { old: 30, new: 50 } },
          weakening: [],
        },
      },
    ]);
  });

  it('signature, checksum and size checks cannot be switched off', () => {
    const { settings } = setup();
    for (const field of ['verify_signature', 'verify_checksum', 'verify_size']) {
      expect(() => settings.update({ verification: { [field]: false }, pin: '7392' })).toThrow(
        expect.objectContaining({ code: 'VALIDATION_ERROR' }),
      );
    }
    expect(settings.get().verification).toEqual({
      verify_signature: true,
      verify_checksum: true,
      verify_size: true,
    });
  });
});

describe('settings Rigger does not honour', () => {
  it.each([
    [{ notifications: { errors: false } }],
    [{ update_strategy: 'seamless' }],
    [{ auto_update: { auto_download: true } }],
    [{ auto_update: { auto_reboot: true } }],
  ])('are not offered: %j is ignored and named in the answer', (patch) => {
    const { settings } = setup();
    const r = settings.update(patch);
    expect(r.ignored.length).toBe(1);
    expect(r.ignored[0]!.reason).not.toBe('');
    expect(r.changes).toEqual({});
    const doc = settings.get() as Record<string, unknown>;
    expect(doc.notifications).toBeUndefined();
    expect(doc.update_strategy).toBeUndefined();
    expect(Object.keys(settings.get().auto_update).sort()).toEqual(['auto_rollback', 'enabled']);
  });

  it("the seed's own example request applies what Rigger has and names what it ignored", () => {
    const { settings } = setup();
    const r = settings.update({
      auto_update: {
        enabled: false,
        auto_download: true,
        auto_security: true,
        auto_feature: false,
      },
      channels: { current: 'beta' },
      update_strategy: 'maintenance',
      maintenance_window: { schedule: 'weekends', time: '04:00', duration: 7200 },
      verification: { verify_signature: true, verify_checksum: true },
      notifications: { available_updates: true, download_complete: true },
    });
    expect(r.status).toBe('updated');
    expect(r.changes).toMatchObject({
      'channels.current': { old: 'stable', new: 'beta' },
      'maintenance_window.schedule': { new: 'weekends' },
    });
    expect(r.ignored.map((i) => i.field).sort()).toEqual([
      'auto_update.auto_download',
      'auto_update.auto_feature',
      'auto_update.auto_security',
      'notifications',
      'update_strategy',
    ]);
    expect(settings.get().channels.current).toBe('beta');
  });

  it('an old document that still holds them keeps parsing, without them', () => {
    const { db, settings } = setup();
    db.prepare('INSERT INTO settings (id, document, updated_at) VALUES (1, ?, ?)').run(
      JSON.stringify({
        update_strategy: 'seamless',
        notifications: { errors: false },
        auto_update: { enabled: true, auto_reboot: true },
        verification: { verify_signature: false },
      }),
      new Date().toISOString(),
    );
    expect(settings.get().auto_update).toEqual({ enabled: true, auto_rollback: true });
    expect(settings.get().verification.verify_signature).toBe(true);
  });
});
