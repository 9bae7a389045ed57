import { z } from 'zod';
import { slotIdSchema } from './profile';

/**
 * The seed's "Recovery Operations" and the snapshot and status operations of "Monitoring &
 * Logging" (seeds/gateway-ota-recovery-api.rst), field for field; Rigger's additions are named.
 */

const slot = slotIdSchema;
const gateway = z.string().min(1);
const boolParam = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);

// --- recovery status -----------------------------------------------------------------------

export const recoveryStatusInputSchema = z.strictObject({
  gateway,
  /** Reads the whole recovery slot to hash it: only on request. */
  checksum: boolParam.default(false),
});

export const snapshotEntrySchema = z.object({
  id: z.string(),
  /** "2025-03-10 14:32:11" (UTC). */
  timestamp: z.string(),
  version: z.string().nullable(),
  type: z.enum(['automatic', 'manual']),
  size: z.string(),
  description: z.string(),
  partition: slot.nullable(),
  /** Holds a whole slot image that can be written back and booted. */
  bootable: z.boolean(),
  /** Rigger's additions. */
  name: z.string(),
  gateway: z.string(),
  model: z.string().nullable(),
  size_bytes: z.number().int(),
  sha256: z.string(),
  includes: z.array(z.string()),
  /** The slot image it holds (taken with `include_slot`): restorable into the inactive slot. */
  slot_image: z
    .object({
      slot: slot,
      version: z.string().nullable(),
      size_bytes: z.number().int(),
      /** SHA-256 of the image itself (as the gateway's status file records it). */
      sha256: z.string(),
    })
    .nullable(),
});
export type SnapshotEntry = z.infer<typeof snapshotEntrySchema>;

export const recoveryOptionsSchema = z.object({
  rollback_enabled: z.boolean(),
  snapshot_enabled: z.boolean(),
  factory_reset_enabled: z.boolean(),
  max_snapshots: z.number().int(),
  snapshot_retention_days: z.number().int(),
});

export const recoveryStatusSchema = z.object({
  recovery_image: z.object({
    present: z.boolean(),
    version: z.string().nullable(),
    size: z.string().nullable(),
    checksum: z.string().nullable(),
    last_updated: z.string().nullable(),
  }),
  snapshots: z.array(snapshotEntrySchema),
  recovery_options: recoveryOptionsSchema,
  /** Rigger's addition: can a rollback run now, and if not, why. */
  rollback: z.object({
    available: z.boolean(),
    to_slot: slot.nullable(),
    to_version: z.string().nullable(),
    reason: z.string().nullable(),
  }),
});
export type RecoveryStatus = z.infer<typeof recoveryStatusSchema>;

// --- snapshot ------------------------------------------------------------------------------

export const snapshotInputSchema = z.strictObject({
  gateway,
  name: z
    .string()
    .min(1)
    .max(80)
    .regex(/^[\w.-]+$/, 'letters, digits, dot, dash and underscore only')
    .default('snapshot'),
  description: z.string().default(''),
  include_data: z.boolean().default(true),
  include_config: z.boolean().default(true),
  include_logs: z.boolean().default(false),
  /**
   * Rigger's addition: also the booted slot's image (its recorded range, proven against the
   * status file), so a restore can write it into the inactive slot and it can be booted.
   */
  include_slot: z.boolean().default(false),
  compression: z.enum(['gzip', 'none']).default('gzip'),
  priority: z.enum(['low', 'normal', 'high']).default('normal'),
  type: z.enum(['automatic', 'manual']).default('manual'),
});
export type SnapshotInput = z.output<typeof snapshotInputSchema>;

export const snapshotStartedSchema = z.object({
  status: z.literal('snapshot_started'),
  snapshot_id: z.string(),
  name: z.string(),
  estimated_size: z.string().nullable(),
  estimated_time: z.number().nullable(),
  steps: z.array(z.string()),
  /** Rigger's addition: the job that takes it. */
  job_id: z.string(),
});

export const snapshotsListInputSchema = z.strictObject({ gateway: gateway.optional() });
export const snapshotsListSchema = z.object({ snapshots: z.array(snapshotEntrySchema) });

export const snapshotRemoveInputSchema = z.strictObject({ snapshot_id: z.string().min(1) });
export const snapshotRemovedSchema = z.object({ removed: z.literal(true) });

// --- rollback ------------------------------------------------------------------------------

export const rollbackInputSchema = z.strictObject({
  gateway,
  /** The seed's "rollback_to_a" / "rollback_to_b"; without it, the other slot. */
  action: z.enum(['rollback_to_a', 'rollback_to_b', 'rollback']).default('rollback'),
  reason: z.string().min(3),
  verify_rollback: z.boolean().default(true),
  create_diagnostic_report: z.boolean().default(false),
  preserve_data: z.boolean().default(true),
  reboot_delay: z.number().int().min(0).max(3600).default(5),
});
export type RollbackInput = z.output<typeof rollbackInputSchema>;

export const rollbackStartedSchema = z.object({
  status: z.literal('rolling_back'),
  action: z.enum(['switch_to_partition_a', 'switch_to_partition_b']),
  rollback_id: z.string(),
  from_version: z.string().nullable(),
  to_version: z.string().nullable(),
  estimated_time: z.number().nullable(),
  warning: z.string(),
  data_preserved: z.boolean(),
  diagnostic_report_id: z.string().nullable(),
});

// --- restore -------------------------------------------------------------------------------

export const restoreInputSchema = z.strictObject({
  gateway,
  snapshot_id: z.string().min(1),
  version: z.string().optional(),
  /**
   * Where a snapshot's slot image goes (default: the inactive slot); the booted slot is refused
   * with OTA_008. Only for a snapshot that holds a slot image.
   */
  target_partition: slot.optional(),
  /** Rigger's addition: put the data paths back (default). */
  restore_data: z.boolean().default(true),
  /** Rigger's addition: write the snapshot's slot image, when it holds one (default). */
  restore_slot: z.boolean().default(true),
  verify_restore: z.boolean().default(true),
  description: z.string().default(''),
});
export type RestoreInput = z.output<typeof restoreInputSchema>;

export const restoreStartedSchema = z.object({
  status: z.literal('restoring'),
  version: z.string().nullable(),
  snapshot_id: z.string(),
  restore_id: z.string(),
  estimated_time: z.number().nullable(),
  steps: z.array(z.string()),
  /** Rigger's addition: the slot the snapshot's image is written to, or null (data paths only). */
  target_partition: slot.nullable(),
});

// --- factory reset -------------------------------------------------------------------------

export const factoryInputSchema = z.strictObject({
  gateway,
  pin: z.string().min(1),
  confirm: z.boolean(),
  reset_type: z.enum(['complete', 'config_only']).default('complete'),
  backup_config: z.boolean().default(true),
  preserve_network: z.boolean().default(false),
  reason: z.string().min(3),
});
export type FactoryInput = z.output<typeof factoryInputSchema>;

export const factoryStartedSchema = z.object({
  status: z.literal('factory_reset_started'),
  reset_id: z.string(),
  warning: z.string(),
  estimated_time: z.number().nullable(),
  steps: z.array(z.string()),
  backup_created: z.boolean(),
  backup_location: z.string().nullable(),
});

// --- monitor status ------------------------------------------------------------------------

export const monitorStatusInputSchema = z.strictObject({ gateway });

export const monitorStatusSchema = z.object({
  system_status: z.string(),
  current_operation: z.string(),
  last_update_check: z.string().nullable(),
  next_check: z.string().nullable(),
  auto_update: z.enum(['enabled', 'disabled']),
  active_jobs: z.number().int(),
  queued_jobs: z.number().int(),
  health: z.object({
    system: z.enum(['healthy', 'degraded', 'unknown']),
    partitions: z.enum(['healthy', 'degraded', 'unknown']),
    recovery: z.enum(['ready', 'missing', 'unknown']),
    safety: z.enum(['enabled', 'disabled', 'overridden']),
  }),
  resources: z.object({
    disk_free: z.string().nullable(),
    memory_free: z.string().nullable(),
    cpu_idle: z.number().nullable(),
    network_available: z.boolean().nullable(),
  }),
});
export type MonitorStatus = z.infer<typeof monitorStatusSchema>;

export const recoveryOperations = {
  'recovery.status': { input: recoveryStatusInputSchema, output: recoveryStatusSchema },
  'recovery.rollback': { input: rollbackInputSchema, output: rollbackStartedSchema },
  'recovery.restore': { input: restoreInputSchema, output: restoreStartedSchema },
  'recovery.factory': { input: factoryInputSchema, output: factoryStartedSchema },
  'monitor.snapshot': { input: snapshotInputSchema, output: snapshotStartedSchema },
  'snapshots.list': { input: snapshotsListInputSchema, output: snapshotsListSchema },
  'snapshots.remove': { input: snapshotRemoveInputSchema, output: snapshotRemovedSchema },
  'monitor.status': { input: monitorStatusInputSchema, output: monitorStatusSchema },
} as const;
