import { randomBytes } from 'node:crypto';
import {
  storageSyncSchema,
  storageUpdateSchema,
  type BackupRecord,
  type CleanupAnalysisResponse,
  type StorageLocationConfig,
  type StoragePolicies,
  type StorageResponse,
  type StorageSyncResponse,
} from '../../../shared/backup-places';
import { RiggerError } from '../../../shared/errors';
import { parseOrThrow } from '../../../shared/validation';
import type { BackupCatalog, RemoteOnlyBackup } from './catalog';
import type { RetentionNeed } from './cleanup/plan';
import { PlacesCleanup } from './cleanup/places-cleanup';
import { formatBytes } from './size-text';
import { seedHms } from '../../../shared/format/time';
import type { HealthReport, StorageLocation } from './storage/location';
import {
  applyStorageUpdate,
  locationView,
  openLocation,
  storageSummary,
  type LocationDeps,
} from './storage/registry';
import { startSyncIn } from './sync-in';
import {
  replicate,
  syncBackups,
  type ReplicationResult,
  type SyncItemResult,
} from './storage/sync';

/** A message for /ws/backup/updates (`sync_progress`, `cleanup_progress`). */
export interface ProgressMessage {
  type: 'sync_progress' | 'cleanup_progress';
  sync_id?: string;
  cleanup_id?: string;
  progress: number;
  current_step: string;
  eta?: string;
}

export interface PlacesOptions extends LocationDeps {
  catalog: BackupCatalog;
  locations: StorageLocationConfig[];
  policies: StoragePolicies;
  save(locations: StorageLocationConfig[], policies: StoragePolicies): void;
  retentionNeeds(): RetentionNeed[];
  onProgress(m: ProgressMessage): void;
  now?: () => Date;
  healthTimeoutMs?: number;
  /** The location that is the store's own folder (its copies go with the store). */
  home?: string;
}

/** Rough rate for the seed's `estimated_duration` until a sync has measured one. */
const ASSUMED_BYTES_PER_S = 10 * 1024 * 1024;

/** Storage, sync, replication and cleanup, answering in the seed's shapes. */
export class BackupPlaces {
  private locations: StorageLocationConfig[];
  private policies: StoragePolicies;
  private readonly lastSync = new Map<string, string>();
  private readonly now: () => Date;
  private readonly cleaner: PlacesCleanup;

  constructor(private readonly o: PlacesOptions) {
    this.locations = o.locations;
    this.policies = o.policies;
    this.now = o.now ?? (() => new Date());
    this.cleaner = new PlacesCleanup({
      ...o,
      now: this.now,
      open: (id) => this.open(id),
      healthOf: (c) => this.healthOf(c),
    });
  }

  private config(id: string): StorageLocationConfig {
    const c = this.locations.find((l) => l.id === id);
    if (!c) throw new RiggerError('NOT_FOUND', `No storage location ${id}`, { storage: id });
    return c;
  }

  /** An enabled, fully configured location, opened. */
  open(id: string): StorageLocation {
    const c = this.config(id);
    const loc = c.enabled ? openLocation(c, this.o) : null;
    if (!loc) {
      throw new RiggerError(
        'VALIDATION_ERROR',
        `Storage location ${id} is ${c.enabled ? 'not configured' : 'disabled'}`,
        {
          storage: id,
        },
        ['Complete and enable it in the storage settings'],
      );
    }
    return loc;
  }

  /** Health that never waits longer than the timeout: a location that does not answer is offline. */
  async healthOf(c: StorageLocationConfig): Promise<HealthReport | null> {
    const loc = c.enabled ? openLocation(c, this.o) : null;
    if (!loc) return null;
    const ms = this.o.healthTimeoutMs ?? 5000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<HealthReport>((resolve) => {
      timer = setTimeout(
        () => resolve({ health: 'offline', detail: `no answer within ${ms / 1000} s` }),
        ms,
      );
    });
    try {
      return await Promise.race([loc.health(), timeout]);
    } finally {
      clearTimeout(timer);
      void loc.close();
    }
  }

  /** When a location last received a sync (null when never in this run). */
  lastSyncOf(id: string): string | null {
    return this.lastSync.get(id) ?? null;
  }

  /** The locations as configured now. */
  configs(): StorageLocationConfig[] {
    return [...this.locations];
  }

  currentPolicies(): StoragePolicies {
    return { ...this.policies };
  }

  async storage(): Promise<StorageResponse> {
    const reports = await Promise.all(this.locations.map((c) => this.healthOf(c)));
    return {
      storage_locations: this.locations.map((c, i) =>
        locationView(c, reports[i]!, this.lastSync.get(c.id) ?? null),
      ),
      policies: this.policies,
      summary: storageSummary(await this.o.catalog.list()),
    };
  }

  storageUpdate(body: unknown) {
    const req = parseOrThrow(storageUpdateSchema, body, 'Storage update');
    const next = applyStorageUpdate(this.locations, this.policies, req);
    this.locations = next.locations;
    this.policies = next.policies;
    this.o.save(this.locations, this.policies);
    return {
      status: 'updated' as const,
      message: 'Storage configuration updated',
      restart_required: false,
      changes_applied: true,
    };
  }

  /** Start a sync; `done` settles when it has finished, with one result per backup. */
  async storageSync(
    body: unknown,
  ): Promise<{ response: StorageSyncResponse; done: Promise<SyncItemResult[]> }> {
    const req = parseOrThrow(storageSyncSchema, body, 'Storage sync');
    const home = this.o.home ?? 'local';
    const { remoteIds, pull } = this.o.catalog;
    if (req.destination === home && req.source !== home && remoteIds && pull) {
      const syncId = `SYNC-${randomBytes(4).toString('hex')}`;
      return startSyncIn(req, {
        catalog: { remoteIds: remoteIds.bind(this.o.catalog), pull: pull.bind(this.o.catalog) },
        source: this.open(req.source),
        syncId,
        bytesPerSecond: ASSUMED_BYTES_PER_S,
        onProgress: (p) => this.o.onProgress({ type: 'sync_progress', sync_id: syncId, ...p }),
      });
    }
    // Listed once: the catalog reads every manifest; the deletions retried below use it too.
    const listed = await this.o.catalog.list();
    const all = listed.filter((r) => r.status === 'completed');
    let records: BackupRecord[] = all;
    if (!(req.backup_ids.length === 1 && req.backup_ids[0] === 'all')) {
      const byId = new Map(all.map((r) => [r.id, r]));
      const unknown = req.backup_ids.filter((id) => !byId.has(id));
      if (unknown.length)
        throw new RiggerError('NOT_FOUND', `No backup ${unknown[0]}`, {
          backup_ids: unknown.slice(0, 20),
        });
      records = req.backup_ids.map((id) => byId.get(id)!);
    }
    const source = this.open(req.source);
    const dest = this.open(req.destination);
    const bytes = records.reduce((s, r) => s + r.files.reduce((a, f) => a + f.size, 0), 0);
    const syncId = `SYNC-${randomBytes(4).toString('hex')}`;
    let sent = 0;
    // A location that was down at the last cleanup gets its deletions now.
    const done = this.cleaner
      .retryDeletions(listed)
      .then(() =>
        syncBackups(records, source, dest, {
          verifyAfterSync: req.verify_after_sync,
          onProgress: (p) => {
            if (p.sent < p.total) return;
            sent += p.total;
            this.o.onProgress({
              type: 'sync_progress',
              sync_id: syncId,
              progress: bytes ? Math.round((sent / bytes) * 100) : 100,
              current_step: `uploaded ${p.file}`,
            });
          },
        }),
      )
      .then(async (results) => {
        for (const r of results)
          if (r.status !== 'failed') await this.o.catalog.addLocation(r.backup_id, dest.id);
        this.lastSync.set(dest.id, this.now().toISOString());
        this.o.onProgress({
          type: 'sync_progress',
          sync_id: syncId,
          progress: 100,
          current_step: 'completed',
        });
        await Promise.all([source.close(), dest.close()]);
        return results;
      });
    return {
      response: {
        status: 'sync_started',
        sync_id: syncId,
        source: req.source,
        destination: req.destination,
        backups_to_sync: records.length,
        estimated_size: formatBytes(bytes),
        estimated_duration: seedHms(bytes / ASSUMED_BYTES_PER_S),
        progress_url: `/cloud-integration/backup/storage/sync/progress/${syncId}`,
      },
      done,
    };
  }

  /** What a location holds that this laptop's store lacks (to bring back with a sync). */
  async remoteOnly(location: string): Promise<{ location: string; backups: RemoteOnlyBackup[] }> {
    const loc = this.open(location);
    try {
      return { location, backups: (await this.o.catalog.remoteOnly?.(loc)) ?? [] };
    } finally {
      await loc.close();
    }
  }

  /** With replication on, copy a new backup to every other enabled location. Never throws. */
  async replicateNew(record: BackupRecord): Promise<ReplicationResult[]> {
    if (!this.policies.replication_enabled) return [];
    try {
      const source = this.open(this.policies.default_location);
      const targets = this.locations
        .filter((c) => c.enabled && c.id !== source.id)
        .map((c) => openLocation(c, this.o))
        .filter((l): l is StorageLocation => l !== null);
      const out = await replicate(record, source, targets);
      for (const r of out) if (!r.error) await this.o.catalog.addLocation(record.id, r.location);
      await Promise.all(targets.map((t) => t.close()));
      return out;
    } catch (err) {
      const e = err as RiggerError;
      return [
        {
          location: this.policies.default_location,
          result: null,
          error: { code: e.code ?? 'INTERNAL', message: e.message },
        },
      ];
    }
  }

  /** The seed's "Run Cleanup": a dry-run plan with its exact list. */
  cleanup(body: unknown): Promise<CleanupAnalysisResponse> {
    return this.cleaner.analyse(body, this.locations, this.policies);
  }

  /** Run a reviewed plan: here, then at every other location that holds its backups. */
  cleanupExecute(body: unknown) {
    return this.cleaner.execute(body);
  }

  /** A schedule's auto purge after its run (its backups beyond its retention count). */
  autoPurge(s: { id: string; retention_count: number }, gateway: string) {
    return this.cleaner.autoPurge(s, gateway);
  }
}
