import { z } from 'zod';

/**
 * The contract of the backup area (seeds/backup-recovery-api.rst sections 1, 2, 3, 5, 9 and
 * 11's `/ws/backup/updates`), field for field; Rigger's additions are named as such. Sizes and
 * durations the seed writes as text ("220 MB", "00:01:30") stay text here.
 */

const id = z.union([z.number().int(), z.string().min(1).max(200)]);
const text = (max = 2000) => z.string().max(max);
const isoTime = z.string();
const count = z.number().int().min(0);

/** The backup types of `backup/list?type=` and `backup/create`. */
export const backupTypeSchema = z.enum(['full', 'config', 'pre-ota']);
export type BackupType = z.infer<typeof backupTypeSchema>;

/** Built-in components; a profile names more (`acs_config`, `zone_mappings`, ...). */
export const BUILTIN_COMPONENTS = ['system', 'data', 'config', 'database'] as const;
export const componentNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,63}$/, 'a component name is lower-case letters, digits and _');

/** The profile's optional `backup` section (GATEWAY-CONTRACT.md section 9). */
const gatewayPath = z
  .string()
  .max(1024)
  .regex(/^\/[^\0\n]*$/, 'must be an absolute path (no newline)');
export const profileBackupSchema = z.strictObject({
  components: z.record(
    componentNameSchema,
    z.strictObject({
      paths: z.array(gatewayPath).min(1).max(64),
      quiesce_command: z.string().trim().min(1).max(4096).optional(),
    }),
  ),
  services_stop_command: z.string().trim().min(1).max(4096).optional(),
  services_start_command: z.string().trim().min(1).max(4096).optional(),
});
export type ProfileBackup = z.infer<typeof profileBackupSchema>;

// --- 1. Backup system status ----------------------------------------------------------------

export const backupStatusSchema = z.object({
  backup_system: z.enum(['healthy', 'degraded', 'error']),
  security_score: z.number().int().min(0).max(100),
  last_successful_backup: isoTime.nullable(),
  total_backups: count,
  storage_used: z.string(),
  components: z.object({
    scheduler: z.object({ status: z.string(), next_run: isoTime.nullable() }),
    local_storage: z.object({ status: z.string(), used: z.string(), available: z.string() }),
    cloud_storage: z.object({ status: z.string(), used: z.string() }),
    encryption: z.object({ status: z.enum(['enabled', 'disabled']), algorithm: z.string() }),
  }),
  alerts: z.array(z.object({ level: z.enum(['info', 'warning', 'error']), message: z.string() })),
});
export type BackupStatus = z.infer<typeof backupStatusSchema>;

// --- 2. Backup management -------------------------------------------------------------------

const ymd = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date is YYYY-MM-DD');

export const backupListQuerySchema = z.strictObject({
  type: backupTypeSchema.optional(),
  date_from: ymd.optional(),
  date_to: ymd.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  /** Rigger's addition: only this gateway's backups. */
  gateway: z.string().min(1).max(200).optional(),
});
export type BackupListQuery = z.infer<typeof backupListQuerySchema>;

export const integrityStateSchema = z.enum(['verified', 'unverified', 'failed']);

export const backupListItemSchema = z.object({
  id,
  name: z.string(),
  filename: z.string(),
  /** Display type: "Full System", "Configuration", "Pre-OTA". */
  type: z.string(),
  created_at: isoTime,
  size: count,
  size_display: z.string(),
  checksum: z.string(),
  location: z.string(),
  encrypted: z.boolean(),
  integrity: integrityStateSchema,
  description: z.string(),
  components: z.array(componentNameSchema),
});
export type BackupListItem = z.infer<typeof backupListItemSchema>;

export const backupListSchema = z.object({
  backups: z.array(backupListItemSchema),
  total: count,
  storage_used: z.string(),
  storage_available: z.string(),
});
export type BackupList = z.infer<typeof backupListSchema>;

export const backupCreateSchema = z.strictObject({
  name: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[^/\\\0]+$/, 'a backup name has no slashes'),
  type: backupTypeSchema.default('full'),
  components: z.array(componentNameSchema).min(1).max(64).optional(),
  destination: z.enum(['local']).default('local'),
  encrypt: z.boolean().default(true),
  compression: z.enum(['gzip', 'none']).default('gzip'),
  verify_integrity: z.boolean().default(true),
  description: text().default(''),
  /** Rigger's addition: which gateway (the seed's server is one gateway). */
  gateway: z.string().min(1).max(200).optional(),
});
export type BackupCreate = z.infer<typeof backupCreateSchema>;

export const backupCreateResponseSchema = z.object({
  status: z.literal('started'),
  backup_id: z.string(),
  job_id: z.string(),
  estimated_size: z.string(),
  estimated_duration: z.string(),
  progress_url: z.string(),
});
export type BackupCreateResponse = z.infer<typeof backupCreateResponseSchema>;

export const backupDeleteSchema = z.strictObject({
  backup_id: id,
  reason: text(500).default(''),
});
export type BackupDelete = z.infer<typeof backupDeleteSchema>;

export const backupDeleteResponseSchema = z.object({
  status: z.literal('deleted'),
  message: z.string(),
  storage_freed: z.string(),
});
export type BackupDeleteResponse = z.infer<typeof backupDeleteResponseSchema>;

export const backupDetailsSchema = z.object({
  id,
  name: z.string(),
  filename: z.string(),
  type: z.string(),
  created_at: isoTime,
  size: count,
  compressed_size: count,
  compression_ratio: z.number(),
  checksum: z.string(),
  integrity: z.object({
    verified: z.boolean(),
    verification_time: isoTime.nullable(),
    signature_valid: z.boolean(),
  }),
  encryption: z.object({
    enabled: z.boolean(),
    algorithm: z.string(),
    key_id: z.string().nullable(),
  }),
  components: z.record(z.string(), z.object({ included: z.boolean(), size: z.string() })),
  metadata: z.object({
    created_by: z.string(),
    gateway_id: z.string(),
    version: z.string().nullable(),
    description: z.string(),
  }),
  storage_locations: z.array(
    z.object({ type: z.string(), path: z.string(), verified: z.boolean() }),
  ),
});
export type BackupDetails = z.infer<typeof backupDetailsSchema>;

// --- 3. Snapshot management -----------------------------------------------------------------

const tag = z.string().min(1).max(64);

export const snapshotItemSchema = z.object({
  id,
  name: z.string(),
  description: z.string(),
  created_at: isoTime,
  size: z.string(),
  tags: z.array(z.string()),
  components: z.array(componentNameSchema),
  created_by: z.string(),
  status: z.enum(['active', 'archived', 'failed']),
});
export type SnapshotItem = z.infer<typeof snapshotItemSchema>;

export const snapshotListSchema = z.object({
  snapshots: z.array(snapshotItemSchema),
  total: count,
  active: count,
});

export const snapshotCreateSchema = z.strictObject({
  name: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[^/\\\0]+$/, 'a snapshot name has no slashes'),
  description: text().default(''),
  tags: z.array(tag).max(32).default([]),
  components: z.array(componentNameSchema).min(1).max(64),
  include_settings: z.boolean().default(false),
  include_data: z.boolean().default(false),
  /** Rigger's addition: which gateway. */
  gateway: z.string().min(1).max(200).optional(),
});
export type SnapshotCreate = z.infer<typeof snapshotCreateSchema>;

export const snapshotCreateResponseSchema = z.object({
  status: z.literal('created'),
  snapshot_id: id,
  name: z.string(),
  size: z.string(),
  message: z.string(),
});

export const snapshotRestoreSchema = z.strictObject({
  snapshot_id: id,
  components: z.array(componentNameSchema).min(1).max(64).optional(),
  create_backup: z.boolean().default(true),
  reason: text(500).default(''),
});
export type SnapshotRestore = z.infer<typeof snapshotRestoreSchema>;

export const snapshotRestoreResponseSchema = z.object({
  status: z.literal('restore_started'),
  restore_id: z.string(),
  estimated_duration: z.string(),
  pre_restore_backup_id: z.string().nullable(),
  progress_url: z.string(),
});

export * from './backup-progress';
