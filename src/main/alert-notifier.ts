import type { AlertEvent } from '../shared/telemetry';

/** What the notifier uses of Electron's `Notification` (the class itself in the app). */
export interface NotificationClass {
  new (options: { title: string; body: string; silent?: boolean }): {
    show(): void;
    on(event: 'click', listener: () => void): unknown;
  };
  isSupported(): boolean;
}

export interface AlertNotifierDeps {
  /** The core's event bus: telemetry's alert rules fire and clear there. */
  events: { on(type: 'alert', handler: (e: AlertEvent) => void): () => void };
  /** The setting `telemetry.desktop_notifications`, read at each alert so a change acts at once. */
  enabled: () => Promise<boolean>;
  Notification: NotificationClass;
  /** Clicking a notification brings the window forward. */
  onClick?: () => void;
}

/** The notification's text: what crossed which threshold on which device. */
export function alertText(e: AlertEvent): { title: string; body: string } {
  const what = `${e.metric} ${e.value} (threshold ${e.threshold})`;
  return e.state === 'firing'
    ? { title: `Alert: ${e.name}`, body: `${e.device_id}: ${what}` }
    : { title: `Cleared: ${e.name}`, body: `${e.device_id}: ${what}` };
}

/**
 * OS desktop notifications for alerts whose rule has a `notification` action, outside the core
 * (the core never imports Electron). A firing alert notifies; a cleared one notifies only if the
 * firing did, so a technician is never told "cleared" of something never shown. Returns `stop`.
 */
export function startAlertNotifier(d: AlertNotifierDeps): () => void {
  const shown = new Set<string>();
  return d.events.on('alert', (e) => {
    if (!e.notify || !d.Notification.isSupported()) return;
    const key = `${e.rule_id}\n${e.device_id}`;
    if (e.state === 'cleared' && !shown.delete(key)) return;
    void d
      .enabled()
      .then((on) => {
        if (!on) return;
        if (e.state === 'firing') shown.add(key);
        const n = new d.Notification({ ...alertText(e), silent: e.state === 'cleared' });
        if (d.onClick) n.on('click', d.onClick);
        n.show();
      })
      .catch((err: unknown) => console.error('alert notification failed', err));
  });
}
