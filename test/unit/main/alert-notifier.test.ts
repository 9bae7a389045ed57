import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startAlertNotifier } from '../../../src/main/alert-notifier';
import { createEvents } from '../../../src/main/core/events';
import { createSettings } from '../../../src/main/core/settings';
import { openDatabase } from '../../../src/main/core/store/database';
import { createTelemetryService } from '../../../src/main/core/telemetry/service';
import { FakeNotification } from './fake-notification';

/** Let the notifier's settings read and show run. */
const settle = () => new Promise((r) => setTimeout(r, 10));

/**
 * The desktop notifier against the real core pieces (event bus, settings, telemetry's alert
 * rules over SQLite); only Electron's Notification is the stand-in, as Electron cannot run here.
 */
describe('desktop notifications for alerts', () => {
  let rig: ReturnType<typeof build>;
  const build = () => {
    const db = openDatabase(mkdtempSync(join(tmpdir(), 'rigger-notify-')));
    const events = createEvents();
    const settings = createSettings(db);
    const telemetry = createTelemetryService({ db, emit: (e) => events.emit(e) });
    const clicked: string[] = [];
    const stop = startAlertNotifier({
      events,
      enabled: async () => settings.get().telemetry.desktop_notifications,
      Notification: FakeNotification,
      onClick: () => clicked.push('window'),
    });
    const cabinet = (value: number) => {
      telemetry.ingest('crane-1', { metrics: { temperature: value } });
      telemetry.maintain();
    };
    return { db, settings, telemetry, events, clicked, stop, cabinet };
  };
  beforeEach(() => {
    FakeNotification.shown = [];
    FakeNotification.supported = true;
    rig = build();
  });
  afterEach(async () => {
    rig.stop();
    await rig.telemetry.close();
    rig.db.close();
  });

  const rule = (actions: Array<{ type: 'notification' } | { type: 'webhook'; url: string }>) =>
    rig.telemetry.alerts.add({
      name: 'Hot cabinet',
      device_id: 'crane-1',
      condition: { metric: 'temperature', operator: '>', threshold: 70, duration_seconds: 0 },
      actions: actions.map((a) => (a.type === 'notification' ? { ...a, channel: 'desktop' } : a)),
      enabled: true,
    });

  it('shows a firing alert, then its clearing, and a click brings the window forward', async () => {
    rule([{ type: 'notification' }]);
    rig.cabinet(85);
    await settle();
    expect(FakeNotification.shown.map((n) => n.options)).toEqual([
      {
        title: 'Alert: Hot cabinet',
        body: 'crane-1: temperature 85 (threshold 70)',
        silent: false,
      },
    ]);
    FakeNotification.shown[0]!.click();
    expect(rig.clicked).toEqual(['window']);
    rig.cabinet(60);
    await settle();
    expect(FakeNotification.shown.map((n) => n.options.title)).toEqual([
      'Alert: Hot cabinet',
      'Cleared: Hot cabinet',
    ]);
  });

  it('stays quiet when the setting is off, and speaks again once it is on', async () => {
    rule([{ type: 'notification' }]);
    rig.settings.update({ telemetry: { desktop_notifications: false } });
    rig.cabinet(85);
    await settle();
    rig.cabinet(60);
    await settle();
    expect(FakeNotification.shown).toEqual([]);
    rig.settings.update({ telemetry: { desktop_notifications: true } });
    rig.cabinet(90);
    await settle();
    expect(FakeNotification.shown.map((n) => n.options.title)).toEqual(['Alert: Hot cabinet']);
  });

  it('ignores alerts whose rule has no notification action', async () => {
    const seen: unknown[] = [];
    rig.events.on('alert', (e) => seen.push(e));
    rule([{ type: 'webhook', url: 'http://127.0.0.1:9/hook' }]);
    rig.cabinet(85);
    await settle();
    expect(seen).toMatchObject([{ state: 'firing', notify: false }]);
    expect(FakeNotification.shown).toEqual([]);
  });

  it('shows nothing where the system has no notifications', async () => {
    FakeNotification.supported = false;
    rule([{ type: 'notification' }]);
    rig.cabinet(85);
    await settle();
    expect(FakeNotification.shown).toEqual([]);
  });
});
