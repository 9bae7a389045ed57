import { join } from 'node:path';
import {
  appInfoSchema,
  isOperationName,
  operations,
  type ApiHandlers,
  type AppInfo,
  type OperationName,
  type OperationOutput,
} from '../../shared/api';
import { RiggerError } from '../../shared/errors';
import { parseOrThrow } from '../../shared/validation';
import { gatewayHandlers } from './api/gateways';
import { imageHandlers } from './api/images';
import { monitorHandlers } from './api/monitor';
import { recoveryHandlers } from './api/recovery';
import { serialHandlers } from './api/serial';
import { updatesHandlers } from './api/jobs';
import { createUpdatesArea, type UpdatesArea } from './ota/area';
import type { OtaTimings } from './ota/context';
import { createAuditLog } from './audit';
import { createEvents, type CoreEvents } from './events';
import { createProfileCatalog } from './gateways/profile';
import { createGatewayRegistry } from './gateways/registry';
import { createGatewayService, type HostKeyPolicy } from './gateways/service';
import { createImageService, type ImageService } from './images/service';
import { createMonitorService } from './monitor/service';
import { createRecoveryService } from './recovery/service';
import { snapshotInJob } from './recovery/snapshot-job';
import { createSnapshotStore } from './recovery/snapshot-store';
import { findResourcesDir } from './paths';
import { noSecretStore, type SecretStore } from './secrets';
import { createConsoleGateways } from './serial/console-gateway';
import { createConsoleService } from './serial/console-service';
import { startPortWatch } from './serial/port-events';
import { createSettings } from './settings';
import { checkUntrustedInput } from './untrusted-input';
import { bindPinVault } from './safety/pin';
import { openDatabase } from './store/database';

export interface CoreOptions {
  /** Folder for the database and the file stores. */
  dataDir: string;
  mode: AppInfo['mode'];
  /** Where passwords are sealed; none by default (key files and password-env only). */
  secrets?: SecretStore;
  /** Folder holding `profiles/`; found next to the code by default. */
  resourcesDir?: string;
  version?: string;
  /** Bounds of reboot/health/safety waits; tests shorten them. */
  otaTimings?: Partial<OtaTimings>;
  /** Tell the UI when USB serial adapters come and go (the desktop app and `rigger serve`). */
  watchSerial?: boolean;
}

/** The whole application, without Electron: one composition root. */
export interface Core {
  /** Run an operation: validates the input with its shared schema, returns the seed shape. */
  call<K extends OperationName>(op: K, input: unknown): Promise<OperationOutput<K>>;
  /** Like `call` for a name that arrived over a boundary (IPC, HTTP) and is not yet trusted. */
  callUntrusted(op: unknown, input: unknown): Promise<unknown>;
  /** Status with a host-key policy of the caller's choosing (the CLI's --accept-new-host-key). */
  readonly gateways: {
    status(name: string, policy: HostKeyPolicy): Promise<OperationOutput<'gateways.status'>>;
  };
  /** The image library, for callers that need more than the API (the CLI's progress bar). */
  readonly images: ImageService;
  /** Jobs, safety, OTA and history, for the CLI's progress and waits. */
  readonly updates: UpdatesArea;
  readonly events: CoreEvents;
  readonly info: AppInfo;
  close(): Promise<void>;
}

/** Compose the core from its data directory and adapters. */
export function createCore(options: CoreOptions): Core {
  const db = openDatabase(options.dataDir);
  const events = createEvents();
  const secrets = options.secrets ?? noSecretStore();
  const resources = options.resourcesDir ?? findResourcesDir();
  const profiles = createProfileCatalog(
    join(resources, 'profiles'),
    join(options.dataDir, 'profiles'),
  );
  const registry = createGatewayRegistry(db, profiles, secrets);
  if (secrets.pinVault) bindPinVault(db, secrets.pinVault);
  const settings = createSettings(db);
  const audit = createAuditLog(db);
  const gatewayService = createGatewayService({ registry, profiles, settings, events, audit });
  const images = createImageService({
    db,
    dataDir: options.dataDir,
    settings,
    events,
    audit,
    gateways: gatewayService,
    registry,
    profiles,
  });
  const updates = createUpdatesArea({
    db,
    events,
    audit,
    settings,
    gateways: gatewayService,
    images,
    timings: options.otaTimings,
  });
  const monitor = createMonitorService({
    db,
    dataDir: options.dataDir,
    gateways: gatewayService,
    registry,
  });
  const recoveryDeps = {
    ...updates.deps,
    snapshots: createSnapshotStore(db, join(options.dataDir, 'snapshots')),
    monitor,
  };
  const recovery = createRecoveryService(recoveryDeps, () => images.usage().catalog_refreshed_at);
  // An update may take a snapshot before it switches (install's create_snapshot).
  updates.deps.snapshot = (gateway, ctx, description) =>
    snapshotInJob(recoveryDeps, gateway, ctx, description);
  const consoles = createConsoleService({
    events,
    dataDir: options.dataDir,
    profileOf: (name) => profiles.resolve(registry.get(name).profile),
    engine: updates.engine,
    images,
  });
  const consoleGateways = createConsoleGateways({
    consoles,
    password: (g) => registry.password(g),
  });
  gatewayService.useConsole(consoleGateways);
  const portWatch = options.watchSerial ? startPortWatch(events) : null;
  const info: AppInfo = appInfoSchema.parse({
    version: options.version ?? '0.0.0-dev',
    data_dir: options.dataDir,
    mode: options.mode,
    secrets: secrets.kind,
  });

  const handlers: ApiHandlers = {
    'app.info': async () => info,
    ...gatewayHandlers({ registry, profiles, service: gatewayService, events }),
    'settings.get': async () => settings.get(),
    'settings.update': async (patch) => settings.update(patch),
    ...imageHandlers(images),
    ...monitorHandlers(monitor),
    ...updatesHandlers(updates),
    ...recoveryHandlers(recovery),
    ...serialHandlers(consoles, consoleGateways, (name) => {
      const g = registry.get(name);
      return { gateway: g, profile: profiles.resolve(g.profile) };
    }),
  };

  const call = async <K extends OperationName>(
    op: K,
    input: unknown,
  ): Promise<OperationOutput<K>> => {
    const parsed = parseOrThrow(operations[op].input, input ?? {}, `Input of ${op}`);
    const handler = handlers[op] as (i: unknown) => Promise<OperationOutput<K>>;
    return handler(parsed);
  };

  return {
    call,
    async callUntrusted(op, input) {
      if (!isOperationName(op)) {
        throw new RiggerError('NOT_FOUND', `Unknown operation ${JSON.stringify(op)}`, {
          operation: String(op),
        });
      }
      checkUntrustedInput(op, input);
      return call(op, input);
    },
    gateways: { status: (name, policy) => gatewayService.status(name, policy) },
    images,
    updates,
    events,
    info,
    async close() {
      (await portWatch)?.stop();
      await consoles.closeAll();
      await updates.engine.closeAll();
      await gatewayService.closeAll();
      db.close();
    },
  };
}
