import type { ApiHandlers, AppInfo } from '../../../shared/api';
import { backupHandlers } from '../api/backup';
import { gatewayHandlers } from '../api/gateways';
import { historyHandlers } from '../api/history';
import { imageHandlers } from '../api/images';
import { jobHandlers } from '../api/jobs';
import { monitorHandlers } from '../api/monitor';
import { otaHandlers } from '../api/ota';
import { recoveryHandlers } from '../api/recovery';
import { safetyHandlers } from '../api/safety';
import { serialHandlers } from '../api/serial';
import { telemetryHandlers } from '../api/telemetry';
import { pluginHandlers } from '../api/plugins';
import { nodeHandlers } from '../api/nodes';
import { backupPlacesHandlers } from '../api/backup-places';
import { fleetHandlers } from '../api/fleet';
import { hawkbitHandlers } from '../api/hawkbit';
import type { CoreServices } from './services';

/** The whole operation table: each area's handlers over the services it needs. */
export function composeHandlers(s: CoreServices, info: AppInfo): ApiHandlers {
  return {
    'app.info': async () => info,
    ...gatewayHandlers({
      registry: s.registry,
      profiles: s.profiles,
      service: s.gateways,
      events: s.events,
      settings: s.settings,
      audit: s.audit,
      observeStatus: (name, status) => {
        s.telemetry.observeStatus(name, status);
        s.fleet.observeStatus(name, status);
      },
    }),
    'settings.get': async () => s.settings.get(),
    'settings.update': async (patch) => {
      const result = await s.settings.update(patch);
      // A broker set or cleared takes effect now, not at the next start.
      if (Object.keys(result.changes).some((k) => k.startsWith('telemetry.')))
        await s.telemetry.applySettings();
      return result;
    },
    ...imageHandlers(s.images),
    ...monitorHandlers(s.monitor),
    ...jobHandlers({
      engine: s.engine,
      ota: s.ota,
      resumeConsoleFlash: (id) => s.consoles.resumeFlash(id),
    }),
    ...otaHandlers(s.ota),
    ...safetyHandlers(s.safety),
    ...historyHandlers(s.history),
    ...recoveryHandlers(s.recovery),
    ...serialHandlers(s.consoles, s.consoleGateways, (name) => {
      const g = s.registry.get(name);
      return { gateway: g, profile: s.profiles.resolve(g.profile) };
    }),
    ...telemetryHandlers(s.telemetry.service, s.telemetry.directory),
    ...pluginHandlers(s.plugins.plugins),
    ...nodeHandlers(s.plugins.nodes, s.plugins.firmware),
    ...backupHandlers(s.backup),
    ...backupPlacesHandlers({
      wiring: s.backupPlaces,
      registry: s.registry,
      profiles: s.profiles,
      recovery: s.backup,
      audit: s.audit,
    }),
    ...fleetHandlers(s.fleet, {
      importPath: (path, opts) => s.images.importPath(path, opts),
      importUpload: (name, { version, unsigned }) =>
        s.images.resolveDeploy(name, { version, allowUnsigned: unsigned }),
      get: (id) => s.images.get(id),
    }),
    ...hawkbitHandlers(s.hawkbit),
  };
}
