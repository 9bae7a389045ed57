import { z } from 'zod';

/**
 * Disaster recovery, progress and cancel, and the `/ws/backup/updates` messages of
 * seeds/backup-recovery-api.rst (sections 5, 9 and 11), field for field. Re-exported by
 * `backup.ts`, the contract file of the backup area.
 */

const id = z.union([z.number().int(), z.string().min(1).max(200)]);
const count = z.number().int().min(0);
const percent = z.number().min(0).max(100);
/** "00:01:30". */
const clock = z.string().regex(/^\d{2,}:\d{2}:\d{2}$/);

// --- 5. Disaster recovery -------------------------------------------------------------------

export const recoveryTypeSchema = z.enum(['full', 'data', 'config', 'system']);

export const recoveryInitiateSchema = z.strictObject({
  backup_id: id,
  recovery_type: recoveryTypeSchema.default('full'),
  create_pre_recovery_snapshot: z.boolean().default(true),
  /** Only these components (null: all that `recovery_type` covers). */
  module_filter: z.array(z.string().min(1).max(64)).max(64).nullable().default(null),
  reason: z.string().max(500).default(''),
  /** Must be true: the seed's explicit confirmation. */
  confirmation: z.boolean(),
  /** Rigger's addition: the safety override PIN, when rule 7 asks for one. */
  pin: z.string().max(64).optional(),
});
export type RecoveryInitiate = z.infer<typeof recoveryInitiateSchema>;

export const recoveryInitiateResponseSchema = z.object({
  status: z.literal('recovery_started'),
  recovery_id: z.string(),
  backup_id: id,
  estimated_duration: z.string(),
  pre_recovery_snapshot_id: id.nullable(),
  warning: z.string(),
  progress_url: z.string(),
});

export const recoveryPreviewSchema = z.object({
  backup_id: id,
  backup_name: z.string(),
  recovery_type: recoveryTypeSchema,
  impact_analysis: z.object({
    components_affected: z.array(z.string()),
    estimated_downtime: z.string(),
    restart_required: z.boolean(),
    data_loss_risk: z.enum(['none', 'low', 'medium', 'high']),
    pre_recovery_actions: z.array(z.string()),
    post_recovery_actions: z.array(z.string()),
  }),
  warnings: z.array(z.string()),
  recommendations: z.array(z.string()),
});
export type RecoveryPreview = z.infer<typeof recoveryPreviewSchema>;

// --- 9. Progress monitoring -----------------------------------------------------------------

export const operationStatusSchema = z.enum([
  'queued',
  'running',
  'completed',
  'failed',
  'cancelled',
]);

export const backupProgressSchema = z.object({
  job_id: z.string(),
  operation: z.string(),
  status: operationStatusSchema,
  progress: percent,
  current_step: z.string(),
  current_component: z.string().nullable(),
  details: z.object({
    processed: z.string(),
    total: z.string(),
    speed: z.string(),
    eta: clock,
    elapsed: clock,
  }),
  errors: count,
  warnings: count,
});
export type BackupProgress = z.infer<typeof backupProgressSchema>;

export const restoreProgressSchema = z.object({
  restore_id: z.string(),
  operation: z.string(),
  status: operationStatusSchema,
  progress: percent,
  current_step: z.string(),
  current_component: z.string().nullable(),
  details: z.object({
    files_processed: count,
    files_total: count,
    data_processed: z.string(),
    data_total: z.string(),
    eta: clock,
    elapsed: clock,
  }),
  integrity_check: z.enum(['pending', 'running', 'passed', 'failed']),
  restart_required: z.boolean(),
});
export type RestoreProgress = z.infer<typeof restoreProgressSchema>;

export const operationCancelSchema = z.strictObject({
  job_id: z.string().min(1).max(200),
  reason: z.string().max(500).default(''),
});
export type OperationCancel = z.infer<typeof operationCancelSchema>;

export const operationCancelResponseSchema = z.object({
  status: z.literal('cancelled'),
  job_id: z.string(),
  partial_data_cleaned: z.boolean(),
  can_restart: z.boolean(),
});

// --- 11. WebSocket /ws/backup/updates -------------------------------------------------------

const progressFields = { progress: percent, current_step: z.string(), eta: clock };

export const backupUpdateSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('backup_progress'),
    job_id: z.string(),
    backup_id: z.string(),
    ...progressFields,
  }),
  z.object({ type: z.literal('restore_progress'), restore_id: z.string(), ...progressFields }),
  z.object({
    type: z.literal('import_progress'),
    import_id: z.string(),
    ...progressFields,
    /** While the file arrives: bytes so far, of how many, and how fast. */
    bytes_received: z.number().int().nonnegative().optional(),
    bytes_total: z.number().int().nonnegative().optional(),
    data_transferred: z.string().optional(),
    speed: z.string().optional(),
  }),
  z.object({ type: z.literal('sync_progress'), sync_id: z.string(), ...progressFields }),
  z.object({ type: z.literal('cleanup_progress'), cleanup_id: z.string(), ...progressFields }),
]);
export type BackupUpdate = z.infer<typeof backupUpdateSchema>;
