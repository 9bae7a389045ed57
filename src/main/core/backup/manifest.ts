import { z } from 'zod';
import { backupTypeSchema, componentNameSchema } from '../../../shared/backup';
import { RiggerError } from '../../../shared/errors';

/**
 * A backup's manifest: what was backed up from which gateway, and every entry with its mode,
 * size and SHA-256. It is stored (encrypted when the backup is) beside a detached Ed25519
 * signature of its exact bytes by the site key. Read back from disk, it is checked and bounded.
 */

/** A manifest larger than this is refused before it is parsed. */
export const MAX_MANIFEST_BYTES = 256 * 1024 * 1024;
export const MAX_ENTRIES = 2_000_000;

const sha = z.string().regex(/^[0-9a-f]{64}$/);
const path = z.string().min(1).max(4096);

export const entrySchema = z.object({
  component: componentNameSchema,
  /** Absolute path on the gateway. */
  path,
  type: z.enum(['file', 'dir', 'symlink', 'hardlink', 'other']),
  mode: z.number().int().min(0).max(0o7777),
  uid: z.number().int().min(0),
  gid: z.number().int().min(0),
  /** Seconds since the epoch. */
  mtime: z.number(),
  size: z.number().int().min(0),
  /** For files and hard links: SHA-256 of the content, which is also its object's address. */
  sha256: sha.optional(),
  /** Symlink target, or the absolute path a hard link points at. */
  link: z.string().max(4096).optional(),
  /** "user/group" names as the gateway's tar header gave them (the quick check compares them). */
  owner: z.string().max(200).optional(),
});
export type ManifestEntry = z.infer<typeof entrySchema>;

export const systemSchema = z.object({
  slot: z.enum(['A', 'B']),
  version: z.string().nullable(),
  size: z.number().int().min(0),
  image_sha256: sha,
  /** False: a library image, recorded by its SHA-256 and not copied. */
  stored: z.boolean(),
});
export type ManifestSystem = z.infer<typeof systemSchema>;

export const manifestSchema = z.object({
  format: z.literal('rigger-backup'),
  version: z.literal(1),
  id: z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/),
  name: z.string().max(200),
  type: backupTypeSchema,
  description: z.string().max(2000),
  created_at: z.string(),
  /** When reading the gateway began: an mtime older than this by 2 s is settled (quick check). */
  started_at: z.string().optional(),
  created_by: z.string().max(200),
  gateway: z.object({
    name: z.string(),
    gateway_id: z.string(),
    model: z.string(),
    version: z.string().nullable(),
    serial_number: z.string().nullable(),
  }),
  encryption: z.object({
    enabled: z.boolean(),
    algorithm: z.literal('AES-256-GCM').nullable(),
    key_id: z.string().nullable(),
    format_version: z.literal(1),
  }),
  components: z.record(
    componentNameSchema,
    z.object({
      paths: z.array(path),
      files: z.number().int().min(0),
      size: z.number().int().min(0),
      quiesced: z.boolean(),
      /** Seconds the gateway took to list and send it: the measured rate of later estimates. */
      seconds: z.number().min(0).optional(),
      missing: z.array(path),
    }),
  ),
  system: systemSchema.nullable(),
  /** A configuration snapshot (seed section 3) rather than a backup; absent means a backup. */
  kind: z.enum(['backup', 'snapshot']).optional(),
  tags: z.array(z.string().min(1).max(64)).max(32).optional(),
  /** Rigger's own settings for the gateway (`include_settings`), stored as one object. */
  settings: z
    .object({ sha256: sha, size: z.number().int().min(0) })
    .nullable()
    .optional(),
  entries: z.array(entrySchema).max(MAX_ENTRIES),
  /** Fingerprint of the site key that signed it. */
  signer: z.string(),
});
export type BackupManifest = z.infer<typeof manifestSchema>;

/** The exact bytes that are stored and signed. */
export const manifestBytes = (m: BackupManifest) => Buffer.from(JSON.stringify(m), 'utf8');

/** Parse manifest bytes from disk. */
export function parseManifest(raw: Buffer, where: string): BackupManifest {
  if (raw.length > MAX_MANIFEST_BYTES)
    throw new RiggerError('VALIDATION_ERROR', `The manifest ${where} is too large`);
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new RiggerError('VALIDATION_ERROR', `The manifest ${where} is not JSON`);
  }
  const r = manifestSchema.safeParse(json);
  if (!r.success)
    throw new RiggerError(
      'VALIDATION_ERROR',
      `The manifest ${where} is not a Rigger backup manifest`,
      {
        issues: r.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`),
      },
    );
  return r.data;
}

/** Content addresses a manifest needs: every file's and the stored system image's. */
export function contentOf(m: BackupManifest): Set<string> {
  const out = new Set<string>();
  for (const e of m.entries) if (e.type === 'file' && e.sha256) out.add(e.sha256);
  if (m.system?.stored) out.add(m.system.image_sha256);
  if (m.settings) out.add(m.settings.sha256);
  return out;
}
