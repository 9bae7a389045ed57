import {
  appInfoSchema,
  type AppInfo,
  type OperationName,
  type OperationOutput,
} from '../../shared/api';
import { untrustedCall, validatedCall } from './compose/call';
import { composeHandlers } from './compose/handlers';
import { composeServices } from './compose/services';
import type { CoreEvents } from './events';
import type { HostKeyPolicy } from './gateways/service';
import type { ImportUploads } from './backup-places/import/uploads';
import type { ImageService } from './images/service';
import type { JobEngine } from './jobs/engine';
import type { OtaTimings } from './ota/context';
import type { ChunkServerFactory } from './serial/console-flash-path';
import type { NodeTimings } from './nodes/follow';
import type { PluginsArea } from './plugins/area';
import { findResourcesDir } from './paths';
import type { SecretStore } from './secrets';

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
  /** A site MQTT broker for telemetry (`rigger serve --mqtt`), credentials in memory only. */
  mqttUrl?: string;
  /** Bounds of following a node push; tests shorten them. */
  nodeTimings?: Partial<NodeTimings>;
  /** How often rollouts look at their update jobs (ms); tests shorten it. */
  fleetPollMs?: number;
  /**
   * Drive rollouts on a timer while the core is open: the app, `rigger serve` and tests do; a
   * one-shot CLI command does not (it would start updates and leave at once), unless it waits.
   */
  runRollouts?: boolean;
  /**
   * Check every answer against its operation's output schema (an INTERNAL error when it does
   * not match). On by default unless NODE_ENV is `production`.
   */
  checkOutputs?: boolean;
  /** Largest backup file an import over HTTP may send (bytes); tests lower it. */
  backupImportLimitBytes?: number;
  /** The TFTP server of a console flash over U-Boot's network; Rigger's own on console.net by default. */
  consoleChunkServer?: ChunkServerFactory;
}

/** The whole application, without Electron: one composition root. */
export interface Core {
  /** Run an operation: validates the input with its shared schema, returns the seed shape. */
  call<K extends OperationName>(op: K, input: unknown): Promise<OperationOutput<K>>;
  /**
   * Like `call` for a name that arrived over a boundary (IPC, HTTP) and is not yet trusted;
   * `picked`: files the person chose in the desktop app's file-open dialog, which it may read.
   */
  callUntrusted(op: unknown, input: unknown, picked?: ReadonlySet<string>): Promise<unknown>;
  /** Status with a host-key policy of the caller's choosing (tests pin a first key this way). */
  readonly gateways: {
    status(name: string, policy: HostKeyPolicy): Promise<OperationOutput<'gateways.status'>>;
  };
  /** The image library's files, for tests that look at what is stored. */
  readonly images: ImageService;
  /** The job engine: the jobs running here (closing the app asks first) and their journal. */
  readonly jobs: JobEngine;
  readonly events: CoreEvents;
  /** Plugins and nodes, for the seed's own HTTP paths and the `/ota-update` namespace. */
  readonly plugins: PluginsArea;
  /** The device endpoints on their own listener (`rigger serve --device-listen ADDR:PORT`). */
  readonly fleet: { listen(address: string): Promise<{ url: string; port: number }> };
  /** Backup files sent over HTTP for import (their own folder and bound, not the images'). */
  readonly backupImports: ImportUploads;
  readonly info: AppInfo;
  close(): Promise<void>;
}

/** Compose the core from its data directory and adapters. */
export function createCore(options: CoreOptions): Core {
  const s = composeServices({
    dataDir: options.dataDir,
    secrets: options.secrets,
    resourcesDir: options.resourcesDir ?? findResourcesDir(),
    otaTimings: options.otaTimings,
    watchSerial: options.watchSerial,
    mqttUrl: options.mqttUrl,
    consoleChunkServer: options.consoleChunkServer,
    nodeTimings: options.nodeTimings,
    // Schedules run where Rigger keeps running (the app, `rigger serve`), not in one CLI command.
    runSchedules: options.mode !== 'cli',
    fleetPollMs: options.fleetPollMs,
    runRollouts: options.runRollouts ?? options.mode !== 'cli',
    importLimitBytes: options.backupImportLimitBytes,
  });
  const info: AppInfo = appInfoSchema.parse({
    version: options.version ?? '0.0.0-dev',
    data_dir: options.dataDir,
    mode: options.mode,
    secrets: s.secrets.kind,
  });
  const call = validatedCall(composeHandlers(s, info), {
    checkOutputs: options.checkOutputs ?? process.env.NODE_ENV !== 'production',
  });

  return {
    call,
    callUntrusted: untrustedCall(call),
    gateways: { status: (name, policy) => s.gateways.status(name, policy) },
    images: s.images,
    jobs: s.engine,
    events: s.events,
    plugins: s.plugins,
    fleet: { listen: (address) => s.fleet.listen(address) },
    backupImports: s.backupPlaces.imports,
    info,
    async close() {
      (await s.portWatch)?.stop();
      await s.consoles.closeAll();
      await s.fleet.close();
      await s.hawkbit.close();
      await s.engine.closeAll();
      await s.gateways.closeAll();
      await s.telemetry.service.close();
      await s.backupPlaces.close();
      s.db.close();
    },
  };
}
