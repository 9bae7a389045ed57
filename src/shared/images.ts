import { z } from 'zod';
import { CHANNELS } from './settings';

/** The image bundle and catalog formats (IMAGE-BUNDLE.md) and the library's records. */

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits');
const memberName = z
  .string()
  .min(1)
  .max(255)
  .refine(
    (n) => !n.includes('/') && !n.includes('\\') && n !== '.' && n !== '..',
    'must be a plain file name',
  );
export const versionString = z
  .string()
  .regex(/^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, 'must look like v5.0.5 or v5.1.0-custom');
const prerequisite = z
  .string()
  .regex(
    /^(<v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?|v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?\+?)$/,
    'must be vX.Y.Z+, vX.Y.Z or <vX.Y.Z',
  );

export const UPDATE_TYPES = ['security', 'feature', 'hotfix'] as const;
export const SEVERITIES = ['critical', 'high', 'normal', 'low'] as const;

export const compatibleSchema = z.strictObject({
  models: z.array(z.string().min(1)).min(1),
  hardware_revisions: z.array(z.string().min(1)).min(1),
});

/** `manifest.json` of a bundle, exactly as IMAGE-BUNDLE.md defines it. */
export const manifestSchema = z.strictObject({
  manifest: z.literal(1),
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'letters, digits, . _ - only'),
  version: versionString,
  type: z.enum(UPDATE_TYPES),
  severity: z.enum(SEVERITIES),
  channel: z.enum(CHANNELS),
  released: z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'must be a date YYYY-MM-DD'),
  description: z.string(),
  changelog: z.array(z.string()),
  compatible: compatibleSchema,
  prerequisites: z.array(prerequisite),
  image: z.strictObject({
    file: memberName,
    format: z.enum(['raw', 'squashfs']),
    compression: z.enum(['none', 'gzip']),
    size: z.number().int().positive(),
    sha256: hex64,
    compressed_size: z.number().int().positive(),
    compressed_sha256: hex64,
  }),
});
export type Manifest = z.infer<typeof manifestSchema>;

/** One update a server's catalog offers. */
export const catalogEntrySchema = z.strictObject({
  id: z.string().min(1),
  version: versionString,
  type: z.enum(UPDATE_TYPES),
  severity: z.enum(SEVERITIES),
  size: z.number().int().positive(),
  released: z.string(),
  description: z.string(),
  changelog: z.array(z.string()),
  prerequisites: z.array(prerequisite),
  compatible: compatibleSchema,
  bundle_url: z.string().min(1),
  bundle_sha256: hex64,
  bundle_size: z.number().int().positive(),
});
export type CatalogEntry = z.infer<typeof catalogEntrySchema>;

export const catalogSchema = z.strictObject({
  catalog: z.literal(1),
  channel: z.enum(CHANNELS),
  generated: z.string(),
  updates: z.array(catalogEntrySchema),
});
export type Catalog = z.infer<typeof catalogSchema>;

export const SIGNATURE_STATES = ['verified', 'unsigned', 'invalid'] as const;
export type SignatureState = (typeof SIGNATURE_STATES)[number];

/** An image in Rigger's offline library. */
export const libraryImageSchema = z.object({
  id: z.string(),
  version: z.string(),
  type: z.enum(UPDATE_TYPES).nullable(),
  severity: z.enum(SEVERITIES).nullable(),
  channel: z.enum(CHANNELS).nullable(),
  released: z.string().nullable(),
  description: z.string(),
  changelog: z.array(z.string()),
  compatible: compatibleSchema.nullable(),
  prerequisites: z.array(z.string()),
  format: z.enum(['raw', 'squashfs']),
  compression: z.enum(['none', 'gzip']),
  size: z.number().int(),
  sha256: z.string(),
  compressed_size: z.number().int(),
  compressed_sha256: z.string(),
  signature: z.enum(SIGNATURE_STATES),
  signer: z.string().nullable(),
  signer_name: z.string().nullable(),
  source: z.enum(['file', 'catalog']),
  source_name: z.string(),
  imported_at: z.string(),
});
export type LibraryImage = z.infer<typeof libraryImageSchema>;

export const trustedKeySchema = z.object({
  fingerprint: z.string(),
  kind: z.enum(['ed25519', 'x509-ca']),
  name: z.string(),
  added_at: z.string(),
  not_after: z.string().nullable(),
});
export type TrustedKey = z.infer<typeof trustedKeySchema>;

export const importInputSchema = z.strictObject({
  path: z.string().min(1, 'choose a file'),
  /** A loose image (no bundle) is imported only as unsigned, by the user's explicit choice. */
  unsigned: z.boolean().default(false),
  version: versionString.optional(),
});

export const imageRefSchema = z.strictObject({ id: z.string().min(1) });

export const imagesListInputSchema = z.strictObject({
  channel: z.enum(CHANNELS).optional(),
  type: z.enum(UPDATE_TYPES).optional(),
  signature: z.enum(SIGNATURE_STATES).optional(),
  model: z.string().optional(),
});

export const usageSchema = z.object({
  images: z.number().int(),
  blobs: z.number().int(),
  bytes: z.number().int(),
  quota_bytes: z.number().int(),
  free_bytes: z.number().int().nullable(),
  /** When the current channel's catalog was last fetched from the update server. */
  catalog_refreshed_at: z.string().nullable(),
});
export type LibraryUsage = z.infer<typeof usageSchema>;

export const integritySchema = z.object({
  id: z.string(),
  ok: z.boolean(),
  expected: z.string(),
  actual: z.string(),
  size_ok: z.boolean(),
  checked_at: z.string(),
});

export const syncInputSchema = z.strictObject({
  channel: z.enum(CHANNELS).optional(),
  server: z.string().url().optional(),
  download: z.boolean().default(true),
});

export const syncResultSchema = z.object({
  channel: z.enum(CHANNELS),
  server: z.string(),
  refreshed_at: z.string(),
  updates: z.number().int(),
  downloaded: z.array(z.string()),
  already_present: z.array(z.string()),
  failed: z.array(z.object({ id: z.string(), code: z.string(), message: z.string() })),
});

/** One entry of the seed's `GET /cloud-integration/updates/check` answer. */
export const updateOfferSchema = z.object({
  id: z.string(),
  version: z.string(),
  type: z.string().nullable(),
  severity: z.string().nullable(),
  size: z.number(),
  size_unit: z.literal('MB'),
  released: z.string().nullable(),
  description: z.string(),
  changelog: z.array(z.string()),
  /** null for a catalog entry not downloaded yet: its bundle's signature is judged at import. */
  signature: z.enum(SIGNATURE_STATES).nullable(),
  compatible: z.boolean(),
  prerequisites: z.array(z.string()),
  checksum: z.string(),
  download_url: z.string().nullable(),
  downloaded: z.boolean(),
});

export const updatesCheckInputSchema = z.strictObject({
  gateway: z.string().min(1),
  channel: z.enum(CHANNELS).optional(),
  force: z
    .union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')])
    .default(false),
});

export const updatesCheckSchema = z.object({
  status: z.literal('success'),
  updates: z.array(updateOfferSchema),
  last_checked: z.string().nullable(),
  next_check: z.string().nullable(),
  channel: z.enum(CHANNELS),
  gateway_version: z.string().nullable(),
  offline: z.boolean(),
});
export type UpdatesCheck = z.infer<typeof updatesCheckSchema>;

/**
 * The seed verifies an uploaded FILE (with its version as a form field): here a file on this
 * laptop, read but not imported (`path`, and `version` for a loose image), or an image already
 * in the library (`image_id`).
 */
export const uploadVerifyInputSchema = z
  .strictObject({
    image_id: z.string().min(1).optional(),
    path: z.string().min(1).optional(),
    /** A file sent as the seed's multipart form field `file` (the name Rigger saved it under). */
    upload: z.string().min(1).optional(),
    version: versionString.optional(),
    gateway: z.string().min(1),
  })
  .refine((v) => [v.image_id, v.path, v.upload].filter(Boolean).length === 1, {
    message:
      'give one of image_id (an image in the library), path (a file on this computer) or a file upload',
    path: ['image_id'],
  });

/** The seed's `POST /cloud-integration/upload/verify` answer; a flag that cannot be checked is null. */
export const uploadVerifySchema = z.object({
  status: z.enum(['verified', 'failed', 'incomplete']),
  /** Rigger's addition: why it is not verified, in words (absent when it is). */
  error: z.string().optional(),
  file: z.object({
    name: z.string(),
    size: z.string(),
    checksum: z.string(),
    version: z.string(),
    format: z.string(),
    compression: z.string(),
  }),
  metadata: z.object({
    kernel: z.string().nullable(),
    build_id: z.string().nullable(),
    signature: z.enum(SIGNATURE_STATES),
    compatibility: z.enum(['compatible', 'incompatible', 'unknown']),
    architecture: z.string().nullable(),
    bootloader_version: z.string().nullable(),
    minimum_hardware: z.string().nullable(),
  }),
  validation: z.object({
    signature_valid: z.boolean().nullable(),
    checksum_valid: z.boolean().nullable(),
    partition_layout_valid: z.boolean().nullable(),
    bootloader_compatible: z.boolean().nullable(),
    hardware_compatible: z.boolean().nullable(),
    size_adequate: z.boolean().nullable(),
  }),
});
export type UploadVerify = z.infer<typeof uploadVerifySchema>;
