import type { TelemetryService } from '../telemetry/service';
import type { AreaHandlers } from './handlers';

/** What the telemetry handlers need beyond the service: which devices are of a type. */
export interface TelemetryDirectory {
  devicesOfType(type: string): string[];
  /** Why there is no MQTT subscription now, in words; null when there is one. */
  mqttNote(): string | null;
}

/** Telemetry queries and alert rules as API operations. */
export function telemetryHandlers(
  t: TelemetryService,
  dir: TelemetryDirectory,
): AreaHandlers<
  | 'telemetry.query'
  | 'telemetry.aggregate'
  | 'telemetry.fleetAnalytics'
  | 'telemetry.status'
  | 'alerts.list'
  | 'alerts.add'
  | 'alerts.remove'
  | 'alerts.history'
> {
  return {
    'telemetry.query': async (q) => t.raw(q),
    'telemetry.aggregate': async (input) => t.aggregate(input),
    'telemetry.fleetAnalytics': async (input) =>
      t.fleet(input, dir.devicesOfType(input.device_type)),
    'telemetry.status': async () => ({
      mqtt: t.mqttStatus(),
      mqtt_note: t.mqttStatus() ? null : dir.mqttNote(),
      raw_samples: t.store.count(),
    }),
    'alerts.list': async () => ({ alerts: t.alerts.list() }),
    'alerts.add': async (input) => t.alerts.add(input),
    'alerts.history': async (q) => ({ events: t.alerts.history(q) }),
    'alerts.remove': async ({ id }) => {
      t.alerts.remove(id);
      return { status: 'removed' as const, id };
    },
  };
}
