import { randomBytes } from 'node:crypto';
import {
  cleanupExecuteSchema,
  type BackupRecord,
  cleanupRequestSchema,
  type CleanupAnalysisResponse,
  type CleanupExecuteResponse,
  type StorageLocationConfig,
  type StoragePolicies,
} from '../../../../shared/backup-places';
import { parseOrThrow } from '../../../../shared/validation';
import type { BackupCatalog } from '../catalog';
import type { HealthReport, StorageLocation } from '../storage/location';
import { planCleanup, type RetentionNeed } from './plan';
import { CleanupPlans, type StoredPlan } from './plans';
import { PendingDeletions, pendingDeletionsFileOf, retryPendingDeletions } from './remote-copies';
import { analysisResponse, executeResponse } from './responses';
import { runCleanup, type CleanupRun } from './run';

export interface CleanupDeps {
  catalog: BackupCatalog;
  stateDir: string;
  retentionNeeds(): RetentionNeed[];
  onProgress(m: {
    type: 'cleanup_progress';
    cleanup_id: string;
    progress: number;
    current_step: string;
  }): void;
  now(): Date;
  open(location: string): StorageLocation;
  healthOf(c: StorageLocationConfig): Promise<HealthReport | null>;
  /** The location that is the store's own folder ('local' by default). */
  home?: string;
}

/** Cleanup of backup places: dry-run plans, their execution here and at every location. */
export class PlacesCleanup {
  private readonly plans = new CleanupPlans();
  private readonly pending: PendingDeletions;

  constructor(private readonly d: CleanupDeps) {
    this.pending = new PendingDeletions(pendingDeletionsFileOf(d.stateDir));
  }

  async analyse(
    body: unknown,
    locations: StorageLocationConfig[],
    policies: StoragePolicies,
  ): Promise<CleanupAnalysisResponse> {
    const request = parseOrThrow(cleanupRequestSchema, body, 'Cleanup');
    const records = await this.d.catalog.list();
    let freeBytes: number | undefined;
    if (request.min_free_space) {
      const local = locations.find((l) => l.id === policies.default_location);
      freeBytes = local ? (await this.d.healthOf(local))?.available : undefined;
    }
    const planned = planCleanup({
      records,
      request,
      now: this.d.now(),
      blobSizes: await this.d.catalog.blobSizes(),
      freeBytes,
      schedules: this.d.retentionNeeds(),
    });
    return analysisResponse(this.plans.add(planned, this.d.now()), request.dry_run);
  }

  private run(plan: StoredPlan, cleanupId: string): Promise<CleanupRun> {
    return runCleanup({
      plan,
      catalog: this.d.catalog,
      home: this.d.home ?? 'local',
      open: (id) => this.d.open(id),
      pending: this.pending,
      onStep: (progress, step) =>
        this.d.onProgress({
          type: 'cleanup_progress',
          cleanup_id: cleanupId,
          progress,
          current_step: step,
        }),
    });
  }

  /** Run a reviewed plan: exactly its list, once, and only while the backups are unchanged. */
  async execute(
    body: unknown,
  ): Promise<{ response: CleanupExecuteResponse; done: Promise<CleanupRun> }> {
    const req = parseOrThrow(cleanupExecuteSchema, body, 'Cleanup execute');
    const plan = this.plans.take(
      req.cleanup_plan_id,
      req.confirmation,
      await this.d.catalog.list(),
    );
    const cleanupId = `CLEANUP-${randomBytes(4).toString('hex')}`;
    return { response: executeResponse(plan, cleanupId), done: this.run(plan, cleanupId) };
  }

  /**
   * A schedule's auto purge after its run: its own backups of that gateway beyond its
   * retention count, with every protection of a cleanup, removed here and at every location.
   */
  async autoPurge(s: { id: string; retention_count: number }, gateway: string) {
    const own = (await this.d.catalog.list()).filter(
      (r) => r.gateway === gateway && r.id.startsWith(`${s.id}_`),
    );
    const body = planCleanup({
      records: own,
      request: { dry_run: false, retention_policy: `keep_last_${s.retention_count}` },
      now: this.d.now(),
      blobSizes: await this.d.catalog.blobSizes(),
      schedules: this.d.retentionNeeds(),
    });
    return this.run(this.plans.add(body, this.d.now()), `PURGE-${randomBytes(4).toString('hex')}`);
  }

  /**
   * Deletions a cleanup left for a location that was down, tried again (never throws);
   * `current`: the catalog as the caller listed it (a file a backup uses is never deleted).
   */
  async retryDeletions(current: BackupRecord[]) {
    return retryPendingDeletions({
      current,
      open: (id) => this.d.open(id),
      pending: this.pending,
    }).catch(() => []);
  }
}
