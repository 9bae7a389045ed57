import { z } from 'zod';

/** Every state a Rigger job passes through; `interrupted` is a job a crash left behind. */
export const JOB_STATUSES = [
  'pending',
  'downloading',
  'verifying',
  'downloaded',
  'installing',
  'rebooting',
  'verifying_boot',
  'paused_safety',
  'success',
  'failed',
  'cancelled',
  'interrupted',
] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** Statuses in which a job holds its gateway's write lock and may still change it. */
export const ACTIVE_STATUSES: readonly JobStatus[] = [
  'pending',
  'downloading',
  'verifying',
  'installing',
  'rebooting',
  'verifying_boot',
  'paused_safety',
];
/** Statuses in which the user may still cancel: before anything switched the boot slot. */
export const CANCELABLE_STATUSES: readonly JobStatus[] = [
  'pending',
  'downloading',
  'verifying',
  'downloaded',
  'paused_safety',
  'interrupted',
];
/** How a job that ran to its end ended: the seed's `job_complete` statuses. */
export type JobOutcome = 'success' | 'failed' | 'cancelled';
export const TERMINAL_STATUSES: readonly JobOutcome[] = ['success', 'failed', 'cancelled'];
/** Statuses in which a job runs no more: ended, or left behind by a crash (`interrupted`). */
export const STOPPED_STATUSES: readonly JobStatus[] = [...TERMINAL_STATUSES, 'interrupted'];

/** One job as the seed's "List Active Jobs" lists it, plus Rigger's gateway and error. */
export const jobSchema = z.object({
  id: z.string(),
  type: z.enum(['update', 'rollback', 'snapshot', 'restore', 'factory_reset']),
  subtype: z.string(),
  status: z.enum(JOB_STATUSES),
  progress: z.number(),
  started: z.string(),
  estimated_completion: z.string().nullable(),
  update: z.object({ version: z.string(), size: z.string().nullable() }).optional(),
  details: z.record(z.string(), z.unknown()).optional(),
  user: z.string(),
  cancelable: z.boolean(),
  gateway: z.string(),
  current_operation: z.string(),
  resumable: z.boolean(),
  error: z.string().nullable(),
});
export type Job = z.infer<typeof jobSchema>;

/** The groups of statuses `jobs.list` filters by (the seed's, plus `interrupted`). */
export const JOB_LIST_STATUSES = [
  'active',
  'completed',
  'failed',
  'pending',
  'interrupted',
] as const;
export type JobListStatus = (typeof JOB_LIST_STATUSES)[number];

export const jobsListInputSchema = z.strictObject({
  status: z.enum(JOB_LIST_STATUSES).optional(),
  type: z.enum(['download', 'install', 'rollback', 'snapshot']).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  gateway: z.string().optional(),
});

export const jobsListSchema = z.object({
  jobs: z.array(jobSchema),
  summary: z.object({
    active: z.number().int(),
    pending: z.number().int(),
    completed_today: z.number().int(),
    failed_today: z.number().int(),
  }),
});
export type JobsList = z.infer<typeof jobsListSchema>;

export const jobCancelInputSchema = z.strictObject({
  job_id: z.string().min(1),
  reason: z.string().default('User requested cancellation'),
  cleanup: z.boolean().default(true),
});

export const jobCancelSchema = z.object({
  status: z.literal('cancelled'),
  job_id: z.string(),
  message: z.string(),
  cleanup_performed: z.boolean(),
  partial_data_removed: z.boolean(),
  can_restart: z.boolean(),
});

export const jobRefSchema = z.strictObject({ job_id: z.string().min(1) });
