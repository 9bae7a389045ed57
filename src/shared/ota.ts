import { z } from 'zod';
import { JOB_STATUSES } from './jobs';
import { slotIdSchema } from './profile';
import { UPDATE_STRATEGIES } from './settings';

const slot = slotIdSchema;

/** Seed "Start Update Download" request; `update_id` is an image of the library, `gateway` Rigger's. */
export const downloadInputSchema = z.strictObject({
  gateway: z.string().min(1),
  update_id: z.string().min(1).optional(),
  version: z.string().min(1).optional(),
  target_partition: slot.optional(),
  background: z.boolean().default(true),
  verify_signature: z.boolean().default(true),
  verify_checksum: z.boolean().default(true),
  /** An unsigned image needs this explicit, audited choice (GATEWAY-CONTRACT rule 4). */
  allow_unsigned: z.boolean().default(false),
  user: z.string().default('local'),
});
export type DownloadInput = z.output<typeof downloadInputSchema>;

export const downloadStartedSchema = z.object({
  status: z.literal('started'),
  job_id: z.string(),
  update: z.object({
    id: z.string(),
    version: z.string(),
    size: z.number(),
    size_unit: z.literal('MB'),
    type: z.string().nullable(),
    severity: z.string().nullable(),
  }),
  target_partition: slot,
  estimated_time: z.number().nullable(),
  download_speed_limit: z.number(),
  resumable: z.boolean(),
  cancelable: z.boolean(),
});

export const progressInputSchema = z.strictObject({ job_id: z.string().optional() });

/** Seed "Get Update Progress". */
export const progressSchema = z.object({
  status: z.enum(JOB_STATUSES),
  job_id: z.string(),
  progress: z.object({
    percentage: z.number(),
    current_operation: z.string(),
    speed: z.string().nullable(),
    downloaded: z.string().nullable(),
    total: z.string().nullable(),
    eta: z.string().nullable(),
    elapsed: z.string(),
  }),
  update: z.object({ version: z.string(), type: z.string().nullable(), target_partition: slot }),
  status_details: z.object({
    bytes_downloaded: z.number(),
    bytes_total: z.number(),
    connections: z.number(),
    errors: z.number(),
    retries: z.number(),
  }),
  error: z.record(z.string(), z.unknown()).nullable(),
});
export type UpdateProgress = z.infer<typeof progressSchema>;

/** Seed "Start Update Installation". */
export const installInputSchema = z.strictObject({
  job_id: z.string().min(1),
  strategy: z.enum(UPDATE_STRATEGIES).default('seamless'),
  reboot_after: z.boolean().default(true),
  reboot_delay: z.number().int().min(0).max(3600).default(5),
  verify_installation: z.boolean().default(true),
  create_snapshot: z.boolean().default(false),
  /** Rigger's addition: install although the maintenance window is closed (audited). */
  confirm_outside_window: z.boolean().default(false),
});
export type InstallInput = z.output<typeof installInputSchema>;

export const installStartedSchema = z.object({
  status: z.literal('installing'),
  installation_id: z.string(),
  progress: z.number(),
  current_operation: z.string(),
  estimated_completion: z.string().nullable(),
  warning: z.string(),
  next_steps: z.array(z.string()),
});

/** Seed "Deploy Manual Image": `filename` names an image of the library (id). */
export const deployInputSchema = z.strictObject({
  gateway: z.string().min(1),
  filename: z.string().min(1),
  version: z.string().optional(),
  target_partition: slot.optional(),
  verify_before_deploy: z.boolean().default(true),
  create_snapshot: z.boolean().default(false),
  description: z.string().default(''),
  allow_unsigned: z.boolean().default(false),
  reboot_after: z.boolean().default(true),
  reboot_delay: z.number().int().min(0).max(3600).default(5),
  /** Rigger's addition: deploy although the maintenance window is closed (audited). */
  confirm_outside_window: z.boolean().default(false),
});

export const deployStartedSchema = z.object({
  status: z.literal('deploying'),
  deployment_id: z.string(),
  version: z.string(),
  target_partition: slot,
  estimated_time: z.number().nullable(),
  steps: z.array(z.string()),
});
