import { z } from 'zod';

/**
 * Telemetry in the seed's shapes (devices-ota-telemetry-api.md, "Telemetry Service"): samples a
 * device sends, raw and aggregated queries, alert rules, fleet analytics.
 */

/** A metric's name: what a device may call a measurement. */
export const metricName = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,63}$/, 'a metric name is lower case letters, digits and _');

/** Metrics Rigger knows the meaning of (others are stored as the device names them). */
export const KNOWN_METRICS = [
  'cpu_usage',
  'memory_usage',
  'temperature',
  'disk_usage',
  'battery_level',
  'wifi_signal',
  'uptime',
  'load_average',
] as const;

export const MAX_METRICS_PER_SAMPLE = 64;

/** Seed "Send Telemetry (Device)": one sample of several metrics, and optional events. */
export const telemetrySampleSchema = z.strictObject({
  timestamp: z.iso.datetime({ offset: true }).optional(),
  metrics: z
    .record(metricName, z.number().finite())
    .refine((m) => Object.keys(m).length > 0, 'a sample holds at least one metric')
    .refine(
      (m) => Object.keys(m).length <= MAX_METRICS_PER_SAMPLE,
      `a sample holds at most ${MAX_METRICS_PER_SAMPLE} metrics`,
    ),
  events: z
    .array(z.strictObject({ type: z.string().min(1).max(64), data: z.unknown().optional() }))
    .max(32)
    .optional(),
});
export type TelemetrySample = z.infer<typeof telemetrySampleSchema>;

export const AGGREGATIONS = ['avg', 'min', 'max', 'sum', 'count', 'percentile_95'] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];
export const INTERVALS = ['1m', '5m', '1h', '1d'] as const;
export type Interval = (typeof INTERVALS)[number];
export const INTERVAL_MS: Record<Interval, number> = {
  '1m': 60_000,
  '5m': 300_000,
  '1h': 3_600_000,
  '1d': 86_400_000,
};

/** Seed "Get Device Telemetry": raw samples between `from` and `to`. */
export const telemetryQuerySchema = z.strictObject({
  device_id: z.string().min(1),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  metrics: z.array(metricName).optional(),
  limit: z.coerce.number().int().min(1).max(100_000).default(10_000),
});

export const telemetryPointsSchema = z.object({
  device_id: z.string(),
  from: z.string(),
  to: z.string(),
  data: z.array(z.object({ timestamp: z.string(), metrics: z.record(z.string(), z.number()) })),
  truncated: z.boolean(),
});
export type TelemetryPoints = z.infer<typeof telemetryPointsSchema>;

/** Seed "Aggregated Metrics": one aggregation (or several, Rigger's addition) per interval. */
export const aggregateInputSchema = z.strictObject({
  device_id: z.string().min(1),
  metrics: z.array(metricName).min(1).max(16),
  aggregation: z.union([z.enum(AGGREGATIONS), z.array(z.enum(AGGREGATIONS)).min(1)]),
  interval: z.enum(INTERVALS),
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
});
export type AggregateInput = z.infer<typeof aggregateInputSchema>;

/** Each row: `timestamp` and `<metric>_<aggregation>` for every metric and aggregation asked. */
export const aggregateSchema = z.object({
  device_id: z.string(),
  aggregations: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.null()]))),
});
export type AggregateResult = z.infer<typeof aggregateSchema>;

export const OPERATORS = ['>', '>=', '<', '<=', '==', '!='] as const;

/** Seed "Alerts": a rule, plus a duration the condition must hold so one spike does not alert. */
export const alertRuleInputSchema = z.strictObject({
  name: z.string().min(1).max(120),
  device_id: z.string().min(1).optional(),
  device_type: z.string().min(1).optional(),
  condition: z.strictObject({
    metric: metricName,
    operator: z.enum(OPERATORS),
    threshold: z.number().finite(),
    duration_seconds: z.number().int().min(0).max(86_400).default(0),
  }),
  actions: z
    .array(
      z.discriminatedUnion('type', [
        z.strictObject({ type: z.literal('notification'), channel: z.string().default('desktop') }),
        z.strictObject({ type: z.literal('webhook'), url: z.url({ protocol: /^https?$/ }) }),
      ]),
    )
    .min(1)
    .max(8),
  enabled: z.boolean().default(true),
});
export type AlertRuleInput = z.infer<typeof alertRuleInputSchema>;

export const alertRuleSchema = alertRuleInputSchema.extend({
  id: z.string(),
  created_at: z.string(),
  /** Is the condition holding now, and since when; when it last fired and cleared. */
  state: z.object({
    firing: z.boolean(),
    pending_since: z.string().nullable(),
    fired_at: z.string().nullable(),
    cleared_at: z.string().nullable(),
    last_value: z.number().nullable(),
  }),
  /** The last webhook deliveries that failed, with why: shown, never hidden. */
  delivery_failures: z.array(z.object({ at: z.string(), url: z.string(), error: z.string() })),
});
export type AlertRule = z.infer<typeof alertRuleSchema>;

/** An alert firing or clearing: to the history and the WebSocket. */
export interface AlertEvent {
  type: 'alert';
  rule_id: string;
  name: string;
  device_id: string;
  metric: string;
  state: 'firing' | 'cleared';
  value: number;
  threshold: number;
  timestamp: string;
  /** The rule has a `notification` action: the UI shows a toast, the desktop app a notification. */
  notify: boolean;
}

/** One firing or clearing as the alert history keeps it (newest first). */
export const alertHistoryEntrySchema = z.object({
  id: z.number(),
  rule_id: z.string(),
  name: z.string(),
  device_id: z.string(),
  metric: z.string(),
  state: z.enum(['firing', 'cleared']),
  value: z.number(),
  threshold: z.number(),
  timestamp: z.string(),
});
export type AlertHistoryEntry = z.infer<typeof alertHistoryEntrySchema>;
export const alertHistoryQuerySchema = z.strictObject({
  device_id: z.string().min(1).max(128).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const PERIODS = ['1h', '24h', '7d', '30d', '90d'] as const;
export const PERIOD_MS: Record<(typeof PERIODS)[number], number> = {
  '1h': 3_600_000,
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
  '90d': 90 * 86_400_000,
};

/** Seed "Fleet Analytics": one aggregation across the devices of a type over a period. */
export const fleetAnalyticsInputSchema = z.strictObject({
  device_type: z.string().min(1),
  metrics: z.array(metricName).min(1).max(16),
  aggregation: z.enum(AGGREGATIONS),
  period: z.enum(PERIODS),
});
export type FleetAnalyticsInput = z.infer<typeof fleetAnalyticsInputSchema>;

export const fleetAnalyticsSchema = z.object({
  device_type: z.string(),
  period: z.string(),
  aggregation: z.string(),
  device_count: z.number(),
  /** The fleet's value per metric, over every sample of every device of the type. */
  metrics: z.record(z.string(), z.number().nullable()),
  /** Each device's own value per metric, so an outlier can be found. */
  devices: z.array(
    z.object({ device_id: z.string(), metrics: z.record(z.string(), z.number().nullable()) }),
  ),
});
export type FleetAnalytics = z.infer<typeof fleetAnalyticsSchema>;
