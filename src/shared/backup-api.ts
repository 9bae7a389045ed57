import { z } from 'zod';
import {
  backupCreateResponseSchema,
  backupCreateSchema,
  backupDeleteResponseSchema,
  backupDeleteSchema,
  backupDetailsSchema,
  backupListQuerySchema,
  backupListSchema,
  backupProgressSchema,
  backupStatusSchema,
  operationCancelResponseSchema,
  operationCancelSchema,
  recoveryInitiateResponseSchema,
  recoveryInitiateSchema,
  recoveryPreviewSchema,
  recoveryTypeSchema,
  restoreProgressSchema,
  snapshotCreateResponseSchema,
  snapshotCreateSchema,
  snapshotListSchema,
  snapshotRestoreResponseSchema,
  snapshotRestoreSchema,
} from './backup';

/**
 * The backup area's operations (seeds/backup-recovery-api.rst sections 1, 2, 3, 5 and 9) for
 * the table in `api.ts`. A backup id arrives as a path segment (text) or as the seed's number.
 */

const backupId = z.union([z.string().min(1).max(200), z.number().int()]).transform(String);
const gateway = z.string().min(1).max(200).optional();

export const backupIdInputSchema = z.strictObject({ backup_id: backupId });

/** `backup.verify`: Rigger's addition, the whole backup read back and checked. */
export const backupVerifyResultSchema = z.object({
  backup_id: z.string(),
  verified: z.boolean(),
  verification_time: z.string(),
  signature_valid: z.boolean(),
  files_checked: z.number().int(),
  objects_checked: z.number().int(),
  bytes_checked: z.number().int(),
  errors: z.array(z.string()),
});
export type BackupVerifyResult = z.infer<typeof backupVerifyResultSchema>;

/** `backup.download`: the exported single-file backup, made for the download route to send. */
export const backupExportSchema = z.object({
  backup_id: z.string(),
  filename: z.string(),
  path: z.string(),
  size: z.number().int(),
});
export type BackupExport = z.infer<typeof backupExportSchema>;

export const recoveryPreviewInputSchema = z.strictObject({
  backup_id: backupId,
  recovery_type: recoveryTypeSchema.default('full'),
  /** Rigger's addition: the gateway to compare with (default: the one the backup is of). */
  gateway,
});

export const backupOperations = {
  'backup.status': { input: z.strictObject({}), output: backupStatusSchema },
  'backup.list': { input: backupListQuerySchema, output: backupListSchema },
  'backup.details': { input: backupIdInputSchema, output: backupDetailsSchema },
  'backup.create': { input: backupCreateSchema, output: backupCreateResponseSchema },
  'backup.delete': { input: backupDeleteSchema, output: backupDeleteResponseSchema },
  'backup.verify': { input: backupIdInputSchema, output: backupVerifyResultSchema },
  'backup.download': { input: backupIdInputSchema, output: backupExportSchema },
  'backup.snapshots': { input: z.strictObject({ gateway }), output: snapshotListSchema },
  'backup.snapshotCreate': { input: snapshotCreateSchema, output: snapshotCreateResponseSchema },
  'backup.snapshotRestore': {
    input: snapshotRestoreSchema,
    output: snapshotRestoreResponseSchema,
  },
  'recovery.preview': { input: recoveryPreviewInputSchema, output: recoveryPreviewSchema },
  'recovery.initiate': {
    input: recoveryInitiateSchema,
    output: recoveryInitiateResponseSchema,
  },
  'backup.progress': {
    input: z.strictObject({ job_id: z.string().min(1).max(200) }),
    output: backupProgressSchema,
  },
  'restore.progress': {
    input: z.strictObject({ restore_id: z.string().min(1).max(200) }),
    output: restoreProgressSchema,
  },
  'operation.cancel': { input: operationCancelSchema, output: operationCancelResponseSchema },
} as const;

const B = '/cloud-integration/backup';

/** The seed's paths of the backup area, for `REST_ROUTES`. */
export const BACKUP_ROUTES = [
  { method: 'GET', path: `${B}/status`, op: 'backup.status' },
  { method: 'GET', path: `${B}/list`, op: 'backup.list' },
  { method: 'POST', path: `${B}/create`, op: 'backup.create' },
  { method: 'POST', path: `${B}/delete`, op: 'backup.delete' },
  { method: 'GET', path: `${B}/details/{backup_id}`, op: 'backup.details' },
  { method: 'POST', path: `${B}/verify/{backup_id}`, op: 'backup.verify' },
  { method: 'GET', path: `${B}/snapshots`, op: 'backup.snapshots' },
  { method: 'POST', path: `${B}/snapshots/create`, op: 'backup.snapshotCreate' },
  { method: 'POST', path: `${B}/snapshots/restore`, op: 'backup.snapshotRestore' },
  { method: 'GET', path: `${B}/recovery/preview/{backup_id}`, op: 'recovery.preview' },
  { method: 'POST', path: `${B}/recovery/initiate`, op: 'recovery.initiate' },
  { method: 'GET', path: `${B}/progress/{job_id}`, op: 'backup.progress' },
  { method: 'GET', path: `${B}/restore/progress/{restore_id}`, op: 'restore.progress' },
  { method: 'GET', path: `${B}/recovery/progress/{restore_id}`, op: 'restore.progress' },
  { method: 'POST', path: `${B}/operation/cancel`, op: 'operation.cancel' },
] as const;

/** Where the exported file of a backup is sent (served apart: it is a file, not JSON). */
export const BACKUP_DOWNLOAD_PATH = `${B}/download/`;
