import type { GatewayStatus } from '../../../shared/status';
import type { TelemetryDirectory } from '../api/telemetry';
import type { CoreEvents } from '../events';
import type { ProfileCatalog } from '../gateways/profile';
import type { GatewayRegistry } from '../gateways/registry';
import type { SettingsService } from '../settings';
import type { Database } from '../store/database';
import { brokerUrl } from '../telemetry/connect';
import { createTelemetryService, type TelemetryService } from '../telemetry/service';

/** The telemetry service with what it is told from the rest of the core. */
export interface TelemetryWiring {
  service: TelemetryService;
  directory: TelemetryDirectory;
  /** Keep a gateway's own figures from a status read, at most once per sample interval. */
  observeStatus(name: string, status: GatewayStatus): void;
  /** Subscribe (again) to the broker the settings or `--mqtt` name, or stop when none. */
  applySettings(): Promise<void>;
}

/** Build telemetry over the database: device types from the gateways' profiles, MQTT from settings. */
export function composeTelemetry(d: {
  db: Database;
  events: CoreEvents;
  settings: SettingsService;
  registry: GatewayRegistry;
  profiles: ProfileCatalog;
  /** `rigger serve --mqtt URL`: wins over the settings, kept in memory only. */
  mqttUrl?: string;
  /** The fleet's devices, once built: their types win over the gateways' profiles. */
  devices?: () => { typeOf(id: string): string | null; idsOfType(type: string): string[] } | null;
}): TelemetryWiring {
  const modelOf = (name: string): string | null => {
    try {
      return d.profiles.resolve(d.registry.get(name).profile).model;
    } catch {
      return null;
    }
  };
  const service = createTelemetryService({
    db: d.db,
    emit: (e) => d.events.emit(e),
    typeOf: (id) => d.devices?.()?.typeOf(id) ?? modelOf(id),
  });
  let note: string | null = null;
  let current: string | null = null;
  const last = new Map<string, number>();
  return {
    service,
    directory: {
      devicesOfType: (type) =>
        d.devices?.()?.idsOfType(type) ??
        d.registry
          .list()
          .map((g) => g.name)
          .filter((n) => modelOf(n) === type),
      mqttNote: () => note,
    },
    observeStatus(name, status) {
      const every = d.settings.get().telemetry.sample_interval_seconds * 1000;
      const now = Date.now();
      if (now - (last.get(name) ?? 0) < every) return;
      const metrics: Record<string, number> = {};
      for (const [k, v] of Object.entries(status.system))
        if (typeof v === 'number' && Number.isFinite(v)) metrics[k] = v;
      if (!Object.keys(metrics).length) return;
      last.set(name, now);
      service.record(name, metrics, now);
    },
    async applySettings() {
      const b = brokerUrl(d.mqttUrl, d.settings.get().telemetry);
      const next = b.url;
      note = b.url === null ? b.note : null;
      if (next === current) return;
      current = next;
      if (next) await service.connectMqtt(next);
      else await service.disconnectMqtt();
    },
  };
}
