import type { GatewayStatus } from '../../../shared/status';
import type { CoreEvents } from '../events';
import type { ProfileCatalog } from '../gateways/profile';
import type { GatewayRegistry } from '../gateways/registry';
import type { GatewayService } from '../gateways/service';
import type { AreaHandlers } from './handlers';

type GatewayOps =
  | 'profiles.list'
  | 'gateways.list'
  | 'gateways.get'
  | 'gateways.add'
  | 'gateways.edit'
  | 'gateways.remove'
  | 'gateways.pinHostKey'
  | 'gateways.status';

/** The registry, profiles and live status, as API operations. Every change is announced. */
export function gatewayHandlers(deps: {
  registry: GatewayRegistry;
  profiles: ProfileCatalog;
  service: GatewayService;
  events: CoreEvents;
  /** Told of every status read (telemetry keeps a gateway's own figures from it). */
  observeStatus?: (name: string, status: GatewayStatus) => void;
}): AreaHandlers<GatewayOps> {
  const { registry, profiles, service, events } = deps;
  const changed = <T>(value: T): T => {
    events.emit({ type: 'gateways_changed' });
    return value;
  };
  return {
    'profiles.list': async () => profiles.list(),
    'gateways.list': async () => registry.list(),
    'gateways.get': async ({ name }) => registry.get(name),
    'gateways.add': async (input) => changed(registry.add(input)),
    'gateways.edit': async (input) => {
      const g = registry.edit(input);
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
    // The UI pins first keys explicitly (gateways.pinHostKey) after showing the fingerprint.
    'gateways.status': async ({ name }) => {
      const status = await service.status(name, 'pinned-only');
      deps.observeStatus?.(name, status);
      events.emit({ type: 'gateways_changed' });
      return status;
    },
  };
}
