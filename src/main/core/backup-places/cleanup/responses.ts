import type {
  CleanupAnalysisResponse,
  CleanupExecuteResponse,
} from '../../../../shared/backup-places';
import { formatBytes } from '../size-text';
import { seedHms } from '../../../../shared/format/time';
import type { StoredPlan } from './plans';

/** The seed's "Run Cleanup" answer for a plan, with the exact list beside its counts. */
export function analysisResponse(plan: StoredPlan, dryRun: boolean): CleanupAnalysisResponse {
  return {
    status: 'analyzed',
    dry_run: dryRun,
    cleanup_plan_id: plan.id,
    analysis: {
      total_backups: plan.total_backups,
      eligible_for_removal: plan.remove.length,
      space_to_free: formatBytes(plan.bytes_freed),
      space_to_free_bytes: plan.bytes_freed,
      backups_to_keep: plan.keep.length,
      protected_backups: plan.protected.length,
    },
    backups_to_remove: plan.remove,
    action_required: plan.remove.length > 0,
    confirm_action: 'cleanup_execute',
  };
}

/** The seed's "Execute Cleanup" answer; removing a backup's index entries takes about a second. */
export function executeResponse(plan: StoredPlan, cleanupId: string): CleanupExecuteResponse {
  return {
    status: 'cleanup_started',
    cleanup_id: cleanupId,
    backups_to_remove: plan.remove.length,
    estimated_space: formatBytes(plan.bytes_freed),
    estimated_duration: seedHms(plan.remove.length),
    progress_url: `/cloud-integration/backup/cleanup/progress/${cleanupId}`,
  };
}
