import { join } from 'node:path';
import { createAuditLog, type AuditLog } from '../audit';
import { createBackupService, type BackupService } from '../backup/service';
import { createEvents, type CoreEvents } from '../events';
import { createProfileCatalog, type ProfileCatalog } from '../gateways/profile';
import { createGatewayRegistry, type GatewayRegistry } from '../gateways/registry';
import { createGatewayService, type GatewayService } from '../gateways/service';
import { createHistoryService, type HistoryService } from '../history/service';
import { createImageService, type ImageService } from '../images/service';
import { createJobEngine, type JobEngine } from '../jobs/engine';
import { createJobStore } from '../jobs/store';
import { createMonitorService, type MonitorService } from '../monitor/service';
import { DEFAULT_TIMINGS, type JobFlowDeps, type OtaTimings } from '../ota/context';
import { createOtaService, type OtaService } from '../ota/service';
import type { RecoveryDeps } from '../recovery/context';
import { createRecoveryService, type RecoveryService } from '../recovery/service';
import { createSnapshotStore } from '../recovery/snapshot-store';
import { bindPinVault } from '../safety/pin';
import { createSafetyService, type SafetyService } from '../safety/service';
import { noSecretStore, type SecretStore } from '../secrets';
import { createConsoleGateways, type ConsoleGateways } from '../serial/console-gateway';
import { createConsoleService, type ConsoleService } from '../serial/console-service';
import type { ChunkServerFactory } from '../serial/console-flash-path';
import type { PortWatch } from '../serial/hotplug';
import { startPortWatch } from '../serial/port-events';
import { createSettings, type SettingsService } from '../settings';
import { openDatabase, type Database } from '../store/database';
import { composeTelemetry, type TelemetryWiring } from './telemetry';
import { createPluginsArea, type PluginsArea } from '../plugins/area';
import type { NodeTimings } from '../nodes/follow';
import { composeBackupPlaces, type BackupPlacesWiring } from './backup-places';
import type { Fleet } from '../fleet/fleet';
import { composeFleet, type FleetWiring } from './fleet';
import { composeHawkbit, type HawkbitWiring } from './hawkbit';

/** What the services are composed from: the data folder and the adapters of the host. */
export interface ServiceOptions {
  dataDir: string;
  /** Where passwords are sealed; none by default (key files and password-env only). */
  secrets?: SecretStore;
  /** Folder holding `profiles/`. */
  resourcesDir: string;
  /** Bounds of reboot/health/safety waits; tests shorten them. */
  otaTimings?: Partial<OtaTimings>;
  /** Tell the UI when USB serial adapters come and go. */
  watchSerial?: boolean;
  /** A broker to subscribe to for telemetry, credentials included (memory only). */
  mqttUrl?: string;
  /** The TFTP server of a console flash over U-Boot's network (tests run it in their netns). */
  consoleChunkServer?: ChunkServerFactory;
  /** Bounds of following a node push; tests shorten them. */
  nodeTimings?: Partial<NodeTimings>;
  /** Start the backup scheduler and health checks (not in a one-shot CLI command). */
  runSchedules?: boolean;
  /** How often the fleet's rollouts look at their update jobs; tests shorten it. */
  fleetPollMs?: number;
  /** Start the rollout engine's timer (not in a one-shot CLI command). */
  runRollouts?: boolean;
  /** Largest backup file an import over HTTP may send (bytes). */
  importLimitBytes?: number;
}

/** Every service of the core, each built once. */
export interface CoreServices {
  db: Database;
  events: CoreEvents;
  secrets: SecretStore;
  settings: SettingsService;
  audit: AuditLog;
  profiles: ProfileCatalog;
  registry: GatewayRegistry;
  gateways: GatewayService;
  images: ImageService;
  engine: JobEngine;
  safety: SafetyService;
  history: HistoryService;
  monitor: MonitorService;
  ota: OtaService;
  recovery: RecoveryService;
  consoles: ConsoleService;
  consoleGateways: ConsoleGateways;
  portWatch: Promise<PortWatch> | null;
  telemetry: TelemetryWiring;
  /** Plugin ZIPs and the nodes behind gateways, with the node firmware library. */
  plugins: PluginsArea;
  backup: BackupService;
  backupPlaces: BackupPlacesWiring;
  fleet: FleetWiring;
  hawkbit: HawkbitWiring;
}

/**
 * Build the services in dependency order. One cycle is real (a gateway on a serial console is
 * served by the console, whose flash reads images, whose fit check asks the gateway's status):
 * the gateway service takes a provider of the console side, which is built last.
 */
export function composeServices(o: ServiceOptions): CoreServices {
  const db = openDatabase(o.dataDir);
  const events = createEvents();
  const secrets = o.secrets ?? noSecretStore();
  const settings = createSettings(db);
  const audit = createAuditLog(db);
  const profiles = createProfileCatalog(
    join(o.resourcesDir, 'profiles'),
    join(o.dataDir, 'profiles'),
  );
  const registry = createGatewayRegistry(db, profiles, secrets);
  if (secrets.pinVault) bindPinVault(db, secrets.pinVault);

  const jobStore = createJobStore(db);
  // Jobs a crash left running are interrupted, offered for resume (rule 6).
  jobStore.sweepInterrupted();
  const engine = createJobEngine(jobStore, events);
  const history = createHistoryService(jobStore);

  const gateways = createGatewayService({
    registry,
    profiles,
    settings,
    events,
    audit,
    consoles: () => consoleGateways,
  });
  const images = createImageService({
    db,
    dataDir: o.dataDir,
    settings,
    events,
    audit,
    gateways,
    registry,
    profiles,
  });
  const safety = createSafetyService({ db, gateways, settings, audit, events });
  const monitor = createMonitorService({ db, dataDir: o.dataDir, gateways, registry });

  const flow: JobFlowDeps = {
    gateways,
    safety,
    engine,
    events,
    audit,
    settings,
    timings: { ...DEFAULT_TIMINGS, ...o.otaTimings },
  };
  const legacySnapshots = createSnapshotStore(db, join(o.dataDir, 'snapshots'));
  const recoveryDeps: RecoveryDeps = {
    ...flow,
    // Snapshots are backups: the backup service is built below, once its dependencies are.
    backups: () => backup.recoverySnapshots,
    monitor,
  };
  const recovery = createRecoveryService(recoveryDeps, () => images.usage().catalog_refreshed_at);
  const ota = createOtaService({
    ...flow,
    images,
    // An update may take a pre-ota backup before it switches (install's create_snapshot).
    snapshot: (gateway, ctx, description) => backup.preOta(gateway, ctx, description),
  });

  const consoles = createConsoleService({
    events,
    dataDir: o.dataDir,
    profileOf: (name) => profiles.resolve(registry.get(name).profile),
    engine,
    images,
    chunkServer: o.consoleChunkServer,
  });
  const consoleGateways = createConsoleGateways({
    consoles,
    password: (g) => registry.password(g),
  });
  const portWatch = o.watchSerial ? startPortWatch(events) : null;
  // Telemetry asks the fleet for device types; the fleet, built after it, ingests into it.
  const late: { fleet?: Fleet } = {};
  const telemetry = composeTelemetry({
    db,
    events,
    settings,
    registry,
    profiles,
    mqttUrl: o.mqttUrl,
    devices: () => late.fleet?.devices ?? null,
  });
  void telemetry.applySettings();
  const plugins = createPluginsArea({
    dataDir: o.dataDir,
    gateways,
    gatewayNames: () => registry.list().map((g) => g.name),
    trust: images.trust,
    audit,
    nodeTimings: o.nodeTimings,
  });
  // The UI's terminal follows plugin operations on the event stream, as the console's does.
  plugins.plugins.lines.on('line', (l) => events.emit({ type: 'plugin_terminal', ...l }));
  const backup = createBackupService({
    dataDir: o.dataDir,
    secrets,
    registry,
    profiles,
    gateways,
    images,
    engine,
    events,
    safety,
    flow,
    legacySnapshots,
    retention: () => settings.get().recovery,
    consoleFlash: async (name, imageId, allowUnsigned) => {
      const g = registry.get(name);
      return consoleGateways.flash(
        g,
        profiles.resolve(g.profile),
        imageId,
        undefined,
        allowUnsigned,
      );
    },
  });
  const backupPlaces = composeBackupPlaces({
    ...o,
    events,
    registry,
    gateways,
    safety,
    secrets,
    store: () => backup.store(),
  });
  const fleet = composeFleet({
    db,
    events,
    settings,
    registry,
    profiles,
    gateways,
    engine,
    ota,
    recovery,
    telemetry: () => telemetry.service,
    pollMs: o.fleetPollMs,
    runRollouts: o.runRollouts ?? true,
    nodes: { service: plugins.nodes, library: plugins.firmware.library },
  });
  late.fleet = fleet;
  const hawkbit = composeHawkbit({
    db,
    dataDir: o.dataDir,
    events,
    settings,
    secrets,
    registry,
    gateways,
    images,
    engine,
  });

  return {
    db,
    events,
    secrets,
    settings,
    audit,
    profiles,
    registry,
    gateways,
    images,
    engine,
    safety,
    history,
    monitor,
    ota,
    recovery,
    consoles,
    consoleGateways,
    portWatch,
    telemetry,
    plugins,
    backup,
    backupPlaces,
    fleet,
    hawkbit,
  };
}
