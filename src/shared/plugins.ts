import { z } from 'zod';

/** Plugin ZIPs (GATEWAY-CONTRACT.md section 6) and the seed ota-plugin-zip-api.md's shapes. */

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits');
export const PLUGIN_NAME = /^[a-z0-9][a-z0-9._-]*$/;
/** Member names: relative, `/`-separated, no empty, `.` or `..` segment, no backslash or NUL. */
export const memberPath = z
  .string()
  .min(1)
  .max(255)
  .refine(
    (p) =>
      !p.startsWith('/') &&
      !/[\\\0]/.test(p) &&
      p.split('/').every((s) => s !== '' && s !== '.' && s !== '..'),
    'must be a relative path without "..", "." or empty parts',
  );

/** `plugin.json` at the root of a plugin ZIP. */
export const pluginManifestSchema = z.strictObject({
  plugin: z.literal(1),
  name: z.string().max(64).regex(PLUGIN_NAME, 'lower-case letters, digits, . _ - only'),
  version: z
    .string()
    .max(64)
    .regex(/^[0-9A-Za-z][0-9A-Za-z._+-]*$/, 'letters, digits, . _ + - only')
    // Beside the versions live the `current` / `previous` links and `<version>.new` staging.
    .refine(
      (v) => !['current', 'previous'].includes(v) && !/\.(new|stage|prev)$/.test(v),
      'must not be "current", "previous" or end in .new, .stage or .prev',
    ),
  models: z.array(z.string().min(1)).min(1),
  description: z.string().max(4096).optional(),
  files: z
    .array(
      z.strictObject({
        path: memberPath,
        sha256: hex64,
        size: z.number().int().nonnegative(),
      }),
    )
    .max(10_000),
});
export type PluginManifest = z.infer<typeof pluginManifestSchema>;

/** The seed's progress states, exactly. */
export const UPDATE_STATUSES = [
  'pending',
  'idle',
  'in_progress',
  'complete',
  'error',
  'not_found',
] as const;
export type UpdateStatus = (typeof UPDATE_STATUSES)[number];

/** What `POST /ota-update` and `POST /ota-configure` answer. */
export const otaStartResponseSchema = z.strictObject({
  success: z.boolean(),
  update_id: z.string(),
  message: z.string(),
  status: z.literal('pending'),
  progress: z.literal(0),
});
export type OtaStartResponse = z.infer<typeof otaStartResponseSchema>;

/** What `GET /ota-update-progress/<update_id>` answers. */
export const otaProgressSchema = z.strictObject({
  success: z.boolean(),
  status: z.enum(UPDATE_STATUSES),
  progress: z.number().min(0).max(100),
  message: z.string(),
  error: z.string().optional(),
});
export type OtaProgress = z.infer<typeof otaProgressSchema>;

/** The seed's error texts, word for word. */
export const OTA_UPLOAD_ERRORS = {
  noFile: 'No file provided',
  noFileSelected: 'No file selected',
  notZip: 'Invalid file type. Please upload a ZIP file',
  notFound: 'Update not found',
} as const;
export const OTA_COMPLETE_MESSAGE = 'Operation completed successfully';

/** One plugin on a gateway, as the Plugins tab and `rigger plugins list` show it. */
export const installedPluginSchema = z.strictObject({
  name: z.string(),
  active_version: z.string().nullable(),
  previous_version: z.string().nullable(),
  models: z.array(z.string()),
  fits_model: z.boolean(),
  state: z.enum(['active', 'no_active_version', 'unreadable']),
});
export type InstalledPlugin = z.infer<typeof installedPluginSchema>;

/** One line of a plugin operation's terminal output (what `/ota-update` streams). */
export const terminalLineSchema = z.strictObject({
  update_id: z.string(),
  stream: z.enum(['stdout', 'stderr', 'rigger']),
  line: z.string(),
  at: z.string(),
});
export type TerminalLine = z.infer<typeof terminalLineSchema>;
