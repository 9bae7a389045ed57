import type { Gateway } from '../../../shared/gateways';
import type { GatewayStatus } from '../../../shared/status';
import type { AuditLog } from '../audit';
import type { CoreEvents } from '../events';
import { testConnection } from '../gateways/connection-test';
import type { ProfileCatalog } from '../gateways/profile';
import type { GatewayRegistry } from '../gateways/registry';
import type { GatewayService } from '../gateways/service';
import type { SettingsService } from '../settings';
import type { AreaHandlers } from './handlers';

type GatewayOps =
  | 'profiles.list'
  | 'profiles.import'
  | 'gateways.list'
  | 'gateways.get'
  | 'gateways.add'
  | 'gateways.edit'
  | 'gateways.remove'
  | 'gateways.pinHostKey'
  | 'gateways.status'
  | 'gateways.testConnection';

/** The registry, profiles and live status, as API operations. Every change is announced. */
export function gatewayHandlers(deps: {
  registry: GatewayRegistry;
  profiles: ProfileCatalog;
  service: GatewayService;
  events: CoreEvents;
  /** For connection tests (their timeouts). */
  settings: SettingsService;
  audit: AuditLog;
  /** Told of every status read (telemetry keeps a gateway's own figures from it). */
  observeStatus?: (name: string, status: GatewayStatus) => void;
}): AreaHandlers<GatewayOps> {
  const { registry, profiles, service, events } = deps;
  const changed = <T>(value: T): T => {
    events.emit({ type: 'gateways_changed' });
    return value;
  };
  /** Pin exactly the key a connection test found and the technician accepted (never a new connect). */
  const pinAccepted = (g: Gateway, key: { algorithm: string; fingerprint: string } | undefined) => {
    if (!key || g.host_key) return g; // a pinned key is replaced only by gateways.pinHostKey
    const pinned = registry.pinHostKey(g.name, key.algorithm, key.fingerprint);
    deps.audit.record({
      gatewayId: g.id,
      action: 'host_key.pin',
      outcome: 'ok',
      details: { ...key, confirmed: 'connection-test' },
    });
    return pinned;
  };
  return {
    'profiles.list': async () => profiles.list(),
    'profiles.import': async (input) => changed(profiles.import(input)),
    'gateways.list': async () => registry.list(),
    'gateways.get': async ({ name }) => registry.get(name),
    'gateways.add': async (input) => changed(pinAccepted(registry.add(input), input.host_key)),
    'gateways.edit': async (input) => {
      const g = pinAccepted(registry.edit(input), input.host_key);
      service.forget(input.name);
      return changed(g);
    },
    'gateways.remove': async ({ name }) => {
      registry.remove(name);
      service.forget(name);
      return changed({ removed: true as const });
    },
    'gateways.pinHostKey': async ({ name, fingerprint }) =>
      changed(await service.pinHostKey(name, fingerprint)),
    'gateways.testConnection': async (input) =>
      testConnection({ registry, profiles, settings: deps.settings }, input),
    // The UI pins first keys explicitly (gateways.pinHostKey) after showing the fingerprint.
    'gateways.status': async ({ name }) => {
      const status = await service.status(name, 'pinned-only');
      deps.observeStatus?.(name, status);
      events.emit({ type: 'gateways_changed' });
      return status;
    },
  };
}
