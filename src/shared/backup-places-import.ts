import { z } from 'zod';
import { recoveryPreviewSchema } from './backup';

/**
 * Importing backups made elsewhere (backup-recovery-api.rst section 6): the request, the
 * validation and import answers, an import's auto_restore, and the other sites trusted here.
 */

const sizeText = z.string();

/** The file to import: an upload the server received (REST) or a path (command line only). */
export const importInput = z.strictObject({
  upload: z.string().min(1).max(255).optional(),
  file: z.string().min(1).max(4096).optional(),
  /** Form fields arrive as text. */
  auto_restore: z.union([z.boolean(), z.enum(['true', 'false'])]).optional(),
  create_backup_before: z.union([z.boolean(), z.enum(['true', 'false'])]).optional(),
  /** With auto_restore: the recovery's own confirmation, and the safety PIN when asked. */
  confirmation: z.union([z.boolean(), z.enum(['true', 'false'])]).optional(),
  pin: z.string().max(64).optional(),
});

/** What an import's `auto_restore` did: the recovery's job, or why it did not start. */
export const autoRestoreResultSchema = z.object({
  status: z.enum(['recovery_started', 'not_started']),
  gateway: z.string().nullable(),
  recovery_id: z.string().optional(),
  job_id: z.string().optional(),
  pre_recovery_snapshot_id: z.string().nullable().optional(),
  progress_url: z.string().optional(),
  preview: recoveryPreviewSchema.optional(),
  reason: z.string().optional(),
  code: z.string().optional(),
});
export type AutoRestoreResult = z.infer<typeof autoRestoreResultSchema>;

const validationResults = z.object({
  format: z.enum(['valid', 'invalid']),
  signature: z.enum(['verified', 'invalid', 'untrusted', 'unsigned']),
  version: z.enum(['compatible', 'incompatible']),
  checksum: z.enum(['valid', 'invalid']),
});

export const importValidationSchema = z.object({
  file_format: z.enum(['valid', 'invalid']),
  signature: validationResults.shape.signature,
  checksum: z.string(),
  version_compatibility: validationResults.shape.version,
  size: sizeText,
  type: z.string(),
  created: z.string(),
  gateway_id: z.string(),
  components: z.array(z.string()),
});
export type ImportValidation = z.infer<typeof importValidationSchema>;

export const importResultSchema = z.object({
  status: z.enum(['import_started', 'rejected']),
  import_id: z.string(),
  filename: z.string(),
  imported: z.boolean(),
  validation_results: validationResults,
  backup_info: z.object({
    id: z.string(),
    name: z.string(),
    type: z.string(),
    size: sizeText,
    created: z.string(),
    gateway_compatibility: z.string(),
  }),
  progress_url: z.string(),
  warnings: z.array(z.string()),
  reason: z.string().optional(),
  auto_restore: autoRestoreResultSchema.optional(),
});
export type ImportResult = z.infer<typeof importResultSchema>;

/** Another site's backup signing key this site trusts. */
export const trustedSiteSchema = z.object({
  name: z.string(),
  fingerprint: z.string(),
  added_at: z.string(),
});
export type TrustedSite = z.infer<typeof trustedSiteSchema>;

/** Trusting a key: first its fingerprint to compare (`confirm`), then `trusted`. */
export const trustSiteResultSchema = z.object({
  status: z.enum(['confirm', 'trusted']),
  name: z.string(),
  fingerprint: z.string(),
  already: z.boolean().optional(),
  message: z.string().optional(),
});
export type TrustSiteResult = z.infer<typeof trustSiteResultSchema>;
