import { z } from 'zod';

/**
 * Backups across places and time, in the seed's shapes (backup-recovery-api.rst sections 4, 6,
 * 7, 8, 10 and the `/ws/backup/notifications` and `/ws/backup/health` channels): schedules,
 * storage locations, cleanup, statistics and the messages pushed about them.
 */

const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'letters, digits, _ . - only');
const iso = z.iso.datetime({ offset: true });
/** A size as the seed writes it ("20 GB", "850 MB", "512"). */
export const sizeText = z
  .string()
  .regex(/^\s*\d+(\.\d+)?\s*(B|KB|MB|GB|TB)?\s*$/i, 'a size like "20 GB"');

// ---- The record a backup is to this area (the backup store plugs in behind it) ----

export const BACKUP_TYPES = ['full', 'config', 'pre-ota', 'snapshot'] as const;
export type BackupType = (typeof BACKUP_TYPES)[number];

/** One stored file of a backup: where it lies in a location, and the hash it must read back as. */
export interface BackupFileRef {
  path: string;
  sha256: string;
  size: number;
}

/** What cleanup, sync, statistics and reports need to know of a backup. */
export interface BackupRecord {
  id: string;
  gateway: string;
  site?: string;
  type: BackupType;
  created_at: string;
  /** Logical size (what the backup holds), in bytes. */
  size: number;
  files: BackupFileRef[];
  verified: boolean;
  protected: boolean;
  /** The backup's own checksum as its store gives it (e.g. "sha256:…" of its manifest). */
  checksum?: string;
  status: 'completed' | 'failed';
  failure_reason?: string;
  /** Content-addressed blobs this backup references (deduplicated across backups). */
  blobs?: string[];
  /** Location ids that hold a copy. */
  locations?: string[];
}

// ---- Section 4: schedules ----

export const FREQUENCIES = ['daily', 'weekly', 'monthly', 'cron'] as const;
const hhmm = z.string().regex(/^\d{2}:\d{2}$/, 'a time as HH:MM');

export const scheduleSchema = z.strictObject({
  id,
  enabled: z.boolean(),
  name: z.string().min(1).max(128),
  type: z.enum(BACKUP_TYPES),
  frequency: z.enum(FREQUENCIES),
  /** With frequency "cron": five fields, as crontab has them. */
  cron: z.string().max(128).optional(),
  time: hhmm,
  timezone: z.string().min(1).max(64),
  /** Weekly: 0 = Sunday … 6 = Saturday. */
  day_of_week: z.number().int().min(0).max(6).optional(),
  /** Monthly: 1…31; a month that is shorter runs on its last day. */
  day_of_month: z.number().int().min(1).max(31).optional(),
  retention_count: z.number().int().min(1).max(1000),
  encryption: z.boolean(),
  destination: id,
  auto_purge: z.boolean(),
  /** One gateway, or every gateway of a site. */
  gateway: z.string().min(1).max(128).optional(),
  site: z.string().min(1).max(128).optional(),
  last_execution: iso.nullable(),
  next_execution: iso.nullable(),
  notifications: z.strictObject({ on_success: z.boolean(), on_failure: z.boolean() }),
});
export type Schedule = z.infer<typeof scheduleSchema>;

export interface SchedulesResponse {
  schedules: (Schedule & { missed_executions: string[] })[];
  total_schedules: number;
}

export const scheduleUpdateSchema = scheduleSchema
  .omit({ id: true, last_execution: true, next_execution: true })
  .partial()
  .extend({ schedule_id: id });
export type ScheduleUpdate = z.infer<typeof scheduleUpdateSchema>;

export interface ScheduleUpdateResponse {
  status: 'updated';
  schedule_id: string;
  next_execution: string | null;
  message: string;
}

export const scheduleToggleSchema = z.strictObject({ schedule_id: id, enabled: z.boolean() });
export interface ScheduleToggleResponse {
  status: 'updated';
  schedule_id: string;
  enabled: boolean;
  message: string;
}

// ---- Section 7: storage ----

export const LOCATION_TYPES = ['local', 'remote', 'cloud'] as const;
export type LocationType = (typeof LOCATION_TYPES)[number];
export const HEALTH = ['good', 'warning', 'critical', 'connected', 'offline', 'error'] as const;
export type LocationHealth = (typeof HEALTH)[number];

export const storageLocationConfigSchema = z.strictObject({
  id,
  type: z.enum(LOCATION_TYPES),
  name: z.string().min(1).max(128),
  enabled: z.boolean(),
  default: z.boolean().optional(),
  /** local: the folder; remote: the folder on the server; cloud: a key prefix. */
  path: z.string().max(1024).optional(),
  quota: sizeText.optional(),
  /** Percent of the quota at which a `storage_alert` is raised. */
  cleanup_threshold: z.number().int().min(1).max(100).optional(),
  host: z.string().max(255).optional(),
  port: z.number().int().min(1).max(65535).optional(),
  user: z.string().max(64).optional(),
  host_key_fingerprint: z.string().max(128).optional(),
  provider: z.string().max(64).optional(),
  bucket: z.string().max(63).optional(),
  region: z.string().max(64).optional(),
  endpoint: z.url().optional(),
  force_path_style: z.boolean().optional(),
  /** A name the secret provider resolves (keychain entry or environment); never the secret. */
  credentials_ref: z.string().max(128).optional(),
});
export type StorageLocationConfig = z.infer<typeof storageLocationConfigSchema>;

export interface StorageLocationView {
  id: string;
  type: LocationType;
  name: string;
  enabled: boolean;
  health: LocationHealth;
  path?: string;
  quota?: string;
  used?: string;
  available?: string;
  default?: boolean;
  provider?: string;
  bucket?: string;
  region?: string;
  last_sync?: string | null;
  configuration_required?: boolean;
  /** Why the health is what it is, when it is not good. */
  health_detail?: string;
}

export const storagePoliciesSchema = z.strictObject({
  default_location: id,
  replication_enabled: z.boolean(),
  encryption_default: z.boolean(),
  compression_default: z.enum(['none', 'gzip', 'zstd']),
});
export type StoragePolicies = z.infer<typeof storagePoliciesSchema>;

export interface StorageResponse {
  storage_locations: StorageLocationView[];
  policies: StoragePolicies;
  summary: {
    total_backups: number;
    total_size: string;
    largest_backup: string;
    oldest_backup: string | null;
  };
}

export const storageUpdateSchema = z.strictObject({
  storage_locations: z
    .record(id, storageLocationConfigSchema.omit({ id: true }).partial())
    .optional(),
  policies: storagePoliciesSchema.partial().optional(),
});
export type StorageUpdate = z.infer<typeof storageUpdateSchema>;

export const storageSyncSchema = z.strictObject({
  source: id,
  destination: id,
  backup_ids: z.array(z.string().min(1).max(128)).min(1).max(10_000),
  verify_after_sync: z.boolean().default(true),
});
export type StorageSyncRequest = z.infer<typeof storageSyncSchema>;

export interface StorageSyncResponse {
  status: 'sync_started';
  sync_id: string;
  source: string;
  destination: string;
  backups_to_sync: number;
  estimated_size: string;
  estimated_duration: string;
  progress_url: string;
}

// ---- Section 8: cleanup ----

/** restic's `forget` rules, as the seed names one: "keep_last_5", "keep_daily_7", … */
export const retentionRule = z
  .string()
  .regex(/^keep_(last|hourly|daily|weekly|monthly|yearly)_\d{1,4}$/, 'like keep_last_5');

export const cleanupRequestSchema = z.strictObject({
  dry_run: z.boolean().default(true),
  storage_locations: z.array(id).max(32).optional(),
  retention_policy: z.union([retentionRule, z.array(retentionRule).max(8)]).optional(),
  max_age_days: z.number().int().min(1).max(36_500).optional(),
  min_free_space: sizeText.optional(),
  reason: z.string().max(256).optional(),
});
export type CleanupRequest = z.infer<typeof cleanupRequestSchema>;

export interface CleanupAnalysisResponse {
  status: 'analyzed';
  dry_run: boolean;
  cleanup_plan_id: string;
  analysis: {
    total_backups: number;
    eligible_for_removal: number;
    space_to_free: string;
    space_to_free_bytes: number;
    backups_to_keep: number;
    protected_backups: number;
  };
  backups_to_remove: { id: string; gateway: string; created_at: string; reasons: string[] }[];
  action_required: boolean;
  confirm_action: 'cleanup_execute';
}

export const cleanupExecuteSchema = z.strictObject({
  cleanup_plan_id: z.string().min(1).max(64),
  confirmation: z.literal(true, 'cleanup needs confirmation: true'),
  notify_on_completion: z.boolean().default(false),
});

/** What a cleanup did to the copies at one other location (SFTP, S3). */
export interface CleanupLocationOutcome {
  location: string;
  /** `unreachable`: the rest is retried at the next sync, the local cleanup went ahead. */
  status: 'removed' | 'unreachable' | 'nothing_to_remove';
  files_removed: number;
  files_pending: number;
  error?: string;
}

export interface CleanupExecuteResponse {
  status: 'cleanup_started';
  cleanup_id: string;
  backups_to_remove: number;
  estimated_space: string;
  estimated_duration: string;
  progress_url: string;
}

// Statistics, reports and the notification and health channels live beside this file.
export * from './backup-places-reports';
