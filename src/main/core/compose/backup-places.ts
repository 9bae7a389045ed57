import { readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { sealedCredentialsSchema } from './backup-places-secrets';
import {
  scheduleSchema,
  storageLocationConfigSchema,
  storagePoliciesSchema,
  type BackupHealthMessage,
  type BackupNotification,
  type Schedule,
  type StorageLocationConfig,
  type StoragePolicies,
} from '../../../shared/backup-places';
import type { BackupUpdate } from '../../../shared/backup';
import { RiggerError } from '../../../shared/errors';
import { writeFileAtomic } from '../backup/files';
import type { BackupRepository } from '../backup/repository';
import { backupRoot } from '../backup/store';
import { BackupPlaces } from '../backup-places/places-service';
import { RepositoryCatalog, locationsFileOf } from '../backup-places/repository-catalog';
import { Scheduler, systemClock, type Clock } from '../backup-places/schedules/scheduler';
import { scheduledBackup, type ScheduledRun } from '../backup-places/scheduled-run';
import type { BackupCatalog } from '../backup-places/catalog';
import { MAX_IMPORT_BYTES } from '../backup-places/import/stage';
import { createImportUploads, type ImportUploads } from '../backup-places/import/uploads';
import { backupHealthChecker } from './backup-places-health';
import { placesSecrets } from './backup-places-secrets';
import type { CoreEvents } from '../events';
import type { GatewayRegistry } from '../gateways/registry';
import type { GatewayService } from '../gateways/service';
import type { SafetyService } from '../safety/service';
import type { SecretStore } from '../secrets';

export type RunBackup = (s: Schedule, gateway: string) => Promise<ScheduledRun>;

const settingsSchema = z.object({
  locations: z.array(storageLocationConfigSchema).max(64),
  policies: storagePoliciesSchema,
  schedules: z.array(scheduleSchema).max(256),
  sealed_credentials: sealedCredentialsSchema.default({}),
});
type PlacesSettings = z.infer<typeof settingsSchema>;

/** The settings file: locations, policies and schedules (credentials are never in it). */
export const placesSettingsFile = (dataDir: string) =>
  join(dataDir, 'backup-places', 'settings.json');

function defaults(dataDir: string): PlacesSettings {
  return {
    locations: [
      {
        id: 'local',
        type: 'local',
        name: 'Local Storage',
        enabled: true,
        default: true,
        path: backupRoot(dataDir),
        cleanup_threshold: 80,
      },
      // The seed's other two places, to be completed and enabled in the storage settings.
      { id: 'aws', type: 'cloud', name: 'AWS S3 Bucket', enabled: false, provider: 'AWS S3' },
      { id: 'sftp', type: 'remote', name: 'SFTP Server', enabled: false },
    ],
    policies: {
      default_location: 'local',
      replication_enabled: false,
      encryption_default: true,
      compression_default: 'none',
    },
    schedules: [],
    sealed_credentials: {},
  };
}

function loadSettings(file: string, dataDir: string): PlacesSettings {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return defaults(dataDir);
  }
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // Judged below as not settings.
  }
  const parsed = settingsSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  // A damaged file must not stop Rigger: it is kept aside for a person to look at, and the
  // defaults apply until the settings are saved again.
  const aside = `${file}.damaged-${Date.now()}`;
  renameSync(file, aside);
  console.error(`backup places settings were damaged; kept as ${aside}, defaults in use`);
  return defaults(dataDir);
}

/** Backup places with the core: the service, its scheduler and the store it sees. */
export interface BackupPlacesWiring {
  places: BackupPlaces;
  scheduler: Scheduler;
  catalog: BackupCatalog;
  /** The backup store the catalog reads (imports are taken into it), opened on first use. */
  repo: () => BackupRepository;
  dataDir: string;
  /** The backup service may plug its own run in here (a job with progress). */
  setRunBackup(run: RunBackup): void;
  credentials: ReturnType<typeof placesSecrets>;
  /** Backup files sent over HTTP for import: their own folder and bound. */
  imports: ImportUploads;
  /** Send a progress message on `/ws/backup/updates`. */
  emit(m: BackupUpdate): void;
  /** Check the locations now and push the health messages. */
  checkHealth(): Promise<BackupHealthMessage[]>;
  close(): Promise<void>;
}

/** Build backup places over the data folder: settings in a 0600 JSON file, the scheduler started. */
export function composeBackupPlaces(d: {
  dataDir: string;
  events: CoreEvents;
  registry: GatewayRegistry;
  gateways: GatewayService;
  safety: SafetyService;
  secrets: SecretStore;
  /** The backup service's store, opened on its first use (one opener, no start-up cost). */
  store: () => BackupRepository;
  clock?: Clock;
  env?: NodeJS.ProcessEnv;
  /** How often the locations' health is checked and pushed while the core runs. */
  healthEveryMs?: number;
  /** Largest backup file an import over HTTP may send (bytes); a 64 GiB default. */
  importLimitBytes?: number;
  /** Run schedules and health checks while this core runs (false: only answer about them). */
  runSchedules?: boolean;
}): BackupPlacesWiring {
  const file = placesSettingsFile(d.dataDir);
  const settings = loadSettings(file, d.dataDir);
  const save = () => writeFileAtomic(file, JSON.stringify(settings, null, 2));
  // A locked key, or a wrong passphrase, is not an error here: the store opens locked, plain
  // backups are still listed and synced, and the backup service says why encrypted work is refused.
  const repo = d.store;
  const credentials = placesSecrets({
    store: d.secrets,
    sealed: () => settings.sealed_credentials,
    save(next) {
      settings.sealed_credentials = next;
      save();
    },
    env: d.env ?? process.env,
  });
  const imports = createImportUploads({
    dir: join(d.dataDir, 'backup-places', 'uploads'),
    limitBytes: d.importLimitBytes ?? MAX_IMPORT_BYTES,
    emit: (m) => d.events.emit(m),
  });
  const catalog = new RepositoryCatalog(repo, 'local', locationsFileOf(d.dataDir));
  let runBackup: RunBackup = scheduledBackup({ gateways: d.gateways, repo });
  const scheduler = new Scheduler(
    {
      gatewaysOf: async (s) => (s.gateway ? [s.gateway] : d.registry.list().map((g) => g.name)),
      reachable: async (gw) => {
        try {
          await d.gateways.session(gw);
          return true;
        } catch {
          return false;
        }
      },
      safetyBlock: async (gw) => {
        try {
          await d.safety.check(gw, 'scheduled backup');
          return null;
        } catch (err) {
          return err instanceof RiggerError ? err : new RiggerError('OTA_002', String(err));
        }
      },
      runBackup: async (s, gw) => {
        const run = await runBackup(s, gw);
        // With replication on, the new backup goes to every other enabled place; a place that
        // is down is reported in its health, never fails the backup.
        // With auto purge, its backups beyond the retention count then go, here and at every
        // location holding a copy; neither step fails the backup that was just made.
        const record = await catalog.record(run.backup_id);
        void (async () => {
          if (record) await places.replicateNew(record);
          if (s.auto_purge) await places.autoPurge(s, gw);
        })().catch((err) => console.error('after a scheduled backup', err));
        return run;
      },
      notify: (n: BackupNotification) => d.events.emit(n),
      save(list) {
        settings.schedules = list;
        save();
      },
    },
    d.clock ?? systemClock,
  );
  const places = new BackupPlaces({
    catalog,
    locations: settings.locations,
    policies: settings.policies,
    secrets: credentials.provider,
    stateDir: join(d.dataDir, 'backup-places'),
    save(locations: StorageLocationConfig[], policies: StoragePolicies) {
      settings.locations = locations;
      settings.policies = policies;
      save();
    },
    retentionNeeds: () =>
      scheduler
        .list()
        .schedules.filter((s) => s.enabled)
        .map((s) => ({
          schedule_id: s.id,
          gateway: s.gateway,
          site: s.site,
          type: s.type,
          retention_count: s.retention_count,
        })),
    onProgress: (m) => d.events.emit(m),
  });
  scheduler.load(settings.schedules);
  let running = d.runSchedules ?? true;
  if (running) scheduler.start();
  const checkHealth = backupHealthChecker({
    places,
    schedulerRunning: () => running,
    emit: (m) => d.events.emit(m),
  });
  const timer = running
    ? setInterval(() => void checkHealth().catch(() => undefined), d.healthEveryMs ?? 60_000)
    : null;
  timer?.unref();
  return {
    places,
    scheduler,
    catalog,
    repo,
    dataDir: d.dataDir,
    setRunBackup(run) {
      runBackup = run;
    },
    checkHealth,
    credentials,
    imports,
    emit: (m) => d.events.emit(m),
    async close() {
      running = false;
      if (timer) clearInterval(timer);
      scheduler.stop();
      await scheduler.idle();
    },
  };
}
