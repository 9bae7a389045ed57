import { randomBytes } from 'node:crypto';
import type { BackupRecord } from '../../../../shared/backup-places';
import { RiggerError } from '../../../../shared/errors';
import { fingerprintOf, type CleanupPlanBody } from './plan';

export interface StoredPlan extends CleanupPlanBody {
  id: string;
  created_at: string;
  executed: boolean;
}

/** Removes one backup and answers how many bytes that freed (the backup store's port). */
export interface BackupRemover {
  remove(id: string): Promise<void>;
}

export interface CleanupOutcome {
  plan_id: string;
  removed: string[];
  bytes_freed: number;
}

/** Plans that were shown to someone, kept until executed once or superseded. */
export class CleanupPlans {
  private readonly plans = new Map<string, StoredPlan>();

  constructor(private readonly maxPlans = 64) {}

  /** Keep a computed plan under a fresh id. */
  add(body: CleanupPlanBody, now: Date): StoredPlan {
    const plan: StoredPlan = {
      ...body,
      id: `ANALYSIS-${randomBytes(6).toString('hex')}`,
      created_at: now.toISOString(),
      executed: false,
    };
    this.plans.set(plan.id, plan);
    // Oldest plans go first: a plan nobody executed is only a record of an analysis.
    while (this.plans.size > this.maxPlans) this.plans.delete(this.plans.keys().next().value!);
    return plan;
  }

  get(id: string): StoredPlan | undefined {
    return this.plans.get(id);
  }

  /**
   * Check that a plan may run now: it exists, was not run, and the backups are still the ones
   * it was made from. Marks it taken, so a second execute is refused.
   */
  take(id: string, confirmation: boolean, current: BackupRecord[]): StoredPlan {
    if (confirmation !== true) {
      throw new RiggerError(
        'VALIDATION_ERROR',
        'Cleanup removes backups: it needs confirmation',
        {
          cleanup_plan_id: id,
        },
        ['Send confirmation: true after reviewing the dry run'],
      );
    }
    const plan = this.plans.get(id);
    if (!plan) {
      throw new RiggerError('NOT_FOUND', `No cleanup plan ${id}`, { cleanup_plan_id: id }, [
        'Run the cleanup again with dry_run: true and use the plan id it returns',
      ]);
    }
    if (plan.executed) {
      throw new RiggerError(
        'VALIDATION_ERROR',
        `Cleanup plan ${id} was already executed`,
        {
          cleanup_plan_id: id,
          stale: true,
        },
        ['Run a new dry run'],
      );
    }
    if (fingerprintOf(current) !== plan.fingerprint) {
      throw new RiggerError(
        'VALIDATION_ERROR',
        `Cleanup plan ${id} is stale: the backups changed since it was made`,
        {
          cleanup_plan_id: id,
          stale: true,
        },
        ['Run a new dry run: it will account for the new backups'],
      );
    }
    plan.executed = true;
    return plan;
  }
}

/** Remove exactly the plan's list, in order, reporting progress after each backup. */
export async function executePlan(
  plan: StoredPlan,
  remover: BackupRemover,
  onProgress?: (done: number, total: number, id: string) => void,
): Promise<CleanupOutcome> {
  const removed: string[] = [];
  for (const r of plan.remove) {
    await remover.remove(r.id);
    removed.push(r.id);
    onProgress?.(removed.length, plan.remove.length, r.id);
  }
  return { plan_id: plan.id, removed, bytes_freed: plan.bytes_freed };
}
