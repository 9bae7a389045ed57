import { z } from 'zod';
import {
  cleanupExecuteSchema,
  cleanupRequestSchema,
  REPORT_FORMATS,
  scheduleSchema,
  scheduleToggleSchema,
  scheduleUpdateSchema,
  STAT_PERIODS,
  storageSyncSchema,
  storageUpdateSchema,
} from './backup-places';
import {
  importInput,
  importResultSchema,
  importValidationSchema,
  trustedSiteSchema,
  trustSiteResultSchema,
} from './backup-places-import';

export * from './backup-places-import';

/**
 * Backups across places and time as operations (backup-recovery-api.rst sections 4, 6, 7, 8
 * and 10). Inputs are the seed's requests; outputs are checked for the fields the seed names
 * (the services build them whole, see src/shared/backup-places.ts for their types).
 */

const sizeText = z.string();
const isoOrNull = z.string().nullable();

const schedulesOutput = z.object({
  schedules: z.array(scheduleSchema.extend({ missed_executions: z.array(z.string()) })),
  total_schedules: z.number().int(),
});

const storageView = z.object({
  id: z.string(),
  type: z.enum(['local', 'remote', 'cloud']),
  name: z.string(),
  enabled: z.boolean(),
  health: z.string(),
  used: z.string().optional(),
  health_detail: z.string().optional(),
  configuration_required: z.boolean().optional(),
});

const storageOutput = z.object({
  storage_locations: z.array(storageView),
  policies: z.object({ default_location: z.string(), replication_enabled: z.boolean() }),
  summary: z.object({
    total_backups: z.number().int(),
    total_size: sizeText,
    largest_backup: sizeText,
    oldest_backup: isoOrNull,
  }),
});

const statisticsOutput = z.object({
  period: z.enum(STAT_PERIODS),
  summary: z.object({
    total_backups: z.number().int(),
    successful: z.number().int(),
    failed: z.number().int(),
    success_rate: z.string(),
  }),
  by_type: z.record(z.string(), z.object({ count: z.number().int(), size: sizeText })),
  timeline: z.array(z.object({ date: z.string() })),
  storage_distribution: z.record(z.string(), z.object({ count: z.number().int(), size: sizeText })),
});

/** A file Rigger wrote: in its data folder, or where the command line asked (`output`). */
const writtenFile = z.object({
  status: z.literal('generated'),
  filename: z.string(),
  path: z.string(),
  content_type: z.string(),
  size: z.number().int(),
});

export const configExportSchema = z.object({
  export_type: z.literal('configuration'),
  timestamp: z.string(),
  gateway: z.object({ id: z.string(), version: z.string().nullable(), name: z.string() }),
  modules: z.record(z.string(), z.unknown()),
  settings: z.record(z.string(), z.unknown()),
  metadata: z.object({ exported_by: z.string(), secrets_omitted: z.array(z.string()) }),
});
export type ConfigExport = z.infer<typeof configExportSchema>;

const healthOutput = z.object({ messages: z.array(z.object({ type: z.string() })) });

export const backupPlacesOperations = {
  'backupPlaces.schedules': { input: z.strictObject({}), output: schedulesOutput },
  'backupPlaces.scheduleUpdate': {
    input: scheduleUpdateSchema,
    output: z.object({
      status: z.literal('updated'),
      schedule_id: z.string(),
      next_execution: isoOrNull,
      message: z.string(),
    }),
  },
  'backupPlaces.scheduleToggle': {
    input: scheduleToggleSchema,
    output: z.object({
      status: z.literal('updated'),
      schedule_id: z.string(),
      enabled: z.boolean(),
      message: z.string(),
    }),
  },
  'backupPlaces.storage': { input: z.strictObject({}), output: storageOutput },
  'backupPlaces.storageUpdate': {
    input: storageUpdateSchema,
    output: z.object({
      status: z.literal('updated'),
      message: z.string(),
      restart_required: z.boolean(),
      changes_applied: z.boolean(),
    }),
  },
  'backupPlaces.storageSync': {
    /** `wait`: answer when the copies are done, with each backup's result (the CLI). */
    input: storageSyncSchema.extend({ wait: z.boolean().optional() }),
    output: z.object({
      status: z.literal('sync_started'),
      sync_id: z.string(),
      backups_to_sync: z.number().int(),
      progress_url: z.string(),
      results: z.array(z.object({ backup_id: z.string(), status: z.string() })).optional(),
    }),
  },
  /** What a location holds that this laptop's store does not (bring it back with storageSync). */
  'backupPlaces.storageBackups': {
    input: z.strictObject({ location: z.string().min(1).max(100) }),
    output: z.object({
      location: z.string(),
      backups: z.array(
        z.object({
          id: z.string(),
          gateway: z.string(),
          type: z.string(),
          created_at: z.string(),
          size: z.number(),
          signature_valid: z.boolean(),
        }),
      ),
    }),
  },
  'backupPlaces.cleanup': {
    input: cleanupRequestSchema,
    output: z.object({
      status: z.literal('analyzed'),
      dry_run: z.boolean(),
      cleanup_plan_id: z.string(),
      analysis: z.object({ eligible_for_removal: z.number().int() }),
      backups_to_remove: z.array(z.object({ id: z.string() })),
    }),
  },
  'backupPlaces.cleanupExecute': {
    input: cleanupExecuteSchema.extend({ wait: z.boolean().optional() }),
    output: z.object({
      status: z.literal('cleanup_started'),
      cleanup_id: z.string(),
      backups_to_remove: z.number().int(),
      progress_url: z.string(),
      removed: z.array(z.string()).optional(),
      bytes_freed: z.number().optional(),
      locations: z
        .array(
          z.object({
            location: z.string(),
            status: z.enum(['removed', 'unreachable', 'nothing_to_remove']),
            files_removed: z.number().int(),
            files_pending: z.number().int(),
            error: z.string().optional(),
          }),
        )
        .optional(),
    }),
  },
  'backupPlaces.statistics': {
    input: z.strictObject({ period: z.enum(STAT_PERIODS).optional() }),
    output: statisticsOutput,
  },
  'backupPlaces.report': {
    input: z.strictObject({
      format: z.enum(REPORT_FORMATS).optional(),
      start_date: z.string().max(10).optional(),
      end_date: z.string().max(10).optional(),
      /** Where to write it: the command line only; others get Rigger's reports folder. */
      output: z.string().min(1).max(4096).optional(),
    }),
    output: writtenFile,
  },
  'backupPlaces.import': { input: importInput, output: importResultSchema },
  'backupPlaces.importValidate': {
    input: importInput,
    output: z.object({
      status: z.literal('validated'),
      validation: importValidationSchema,
      warnings: z.array(z.string()),
      recommendations: z.array(z.string()),
    }),
  },
  'backupPlaces.exportConfig': {
    input: z.strictObject({
      gateway: z.string().min(1).max(128),
      export_reason: z.string().max(256).optional(),
      output: z.string().min(1).max(4096).optional(),
    }),
    output: configExportSchema.extend({ written_to: z.string().optional() }),
  },
  'backupPlaces.health': { input: z.strictObject({}), output: healthOutput },
  /** Other sites' backup signing keys this site trusts (their backups import as verified). */
  'backupPlaces.trustedSites': {
    input: z.strictObject({}),
    output: z.object({ sites: z.array(trustedSiteSchema) }),
  },
  'backupPlaces.trustSite': {
    input: z
      .strictObject({
        pem: z.string().min(1).max(4096).optional(),
        /** A key file on this computer (the command line). */
        file: z.string().min(1).max(4096).optional(),
        name: z.string().min(1).max(64).optional(),
        /** The fingerprint the person compared: only then is the key kept. */
        confirm_fingerprint: z.string().min(1).max(80).optional(),
      })
      .refine((v) => !!v.pem !== !!v.file, 'give the PEM text or a key file'),
    output: trustSiteResultSchema,
  },
  'backupPlaces.revokeSite': {
    input: z.strictObject({ fingerprint: z.string().min(1).max(80) }),
    output: z.object({ revoked: z.literal(true), name: z.string() }),
  },
  /** This site's own signing key, to hand to a site that will import its backups. */
  'backupPlaces.siteKey': {
    input: z.strictObject({}),
    output: z.object({ fingerprint: z.string(), pem: z.string() }),
  },
  /** Keep a location's credentials sealed by the OS keychain (not over REST: the app's own). */
  'backupPlaces.storageCredentials': {
    input: z.strictObject({
      credentials_ref: z.string().min(1).max(128),
      access_key_id: z.string().min(1).max(256).optional(),
      secret_access_key: z.string().min(1).max(256).optional(),
      session_token: z.string().min(1).max(4096).optional(),
      password: z.string().min(1).max(1024).optional(),
    }),
    output: z.object({
      status: z.literal('updated'),
      credentials_ref: z.string(),
      kept: z.string(),
    }),
  },
} as const;
