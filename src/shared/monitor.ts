import { z } from 'zod';

/** The seed's "Monitoring & Logging" shapes (seeds/gateway-ota-recovery-api.rst). */

export const LOG_LEVELS = ['info', 'warning', 'error', 'debug'] as const;
export const LOG_SOURCES = ['ota', 'recovery', 'safety', 'system'] as const;

const boolParam = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);
const timeParam = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s.replace(' ', 'T'))), 'must be a date and time');

export const logsInputSchema = z.strictObject({
  gateway: z.string().min(1),
  // Up to 100,000: the Logs page holds that many lines in a virtualized list.
  limit: z.coerce.number().int().min(1).max(100_000).default(50),
  level: z.enum(LOG_LEVELS).optional(),
  source: z.enum(LOG_SOURCES).optional(),
  since: timeParam.optional(),
  until: timeParam.optional(),
});

export const logEntrySchema = z.object({
  /** "2025-03-15 10:25:30" (UTC), or null when the line carries no time. */
  timestamp: z.string().nullable(),
  level: z.enum(LOG_LEVELS),
  source: z.enum(LOG_SOURCES),
  message: z.string(),
  details: z.record(z.string(), z.unknown()),
});
export type LogEntry = z.infer<typeof logEntrySchema>;

export const logsSchema = z.object({
  logs: z.array(logEntrySchema),
  total: z.number().int(),
  filtered: z.number().int(),
  levels: z.object({
    info: z.number().int(),
    warning: z.number().int(),
    error: z.number().int(),
    debug: z.number().int(),
  }),
  /** Log files that could not be read, with why: the rest is still returned. */
  unreadable: z.array(z.object({ path: z.string(), reason: z.string() })),
});
export type LogsAnswer = z.infer<typeof logsSchema>;

export const debugInputSchema = z.strictObject({
  gateway: z.string().min(1),
  include_logs: boolParam.default(true),
  include_config: boolParam.default(true),
  include_system_info: boolParam.default(true),
  compression: z.enum(['gzip', 'none']).default('gzip'),
  /** Where to write it on this laptop; Rigger's debug folder when not given. */
  output: z.string().min(1).optional(),
});

export const debugSchema = z.object({
  status: z.enum(['ready']),
  bundle_id: z.string(),
  estimated_time: z.number(),
  size_estimate: z.string(),
  contents: z.array(z.string()),
  download_url: z.string(),
  expires_at: z.string(),
  /** Rigger's additions: where the file is on this laptop, and what could not be read. */
  path: z.string(),
  missing: z.array(z.object({ item: z.string(), reason: z.string() })),
});
export type DebugAnswer = z.infer<typeof debugSchema>;

export const monitorOperations = {
  'monitor.logs': { input: logsInputSchema, output: logsSchema },
  'monitor.debug': { input: debugInputSchema, output: debugSchema },
} as const;
