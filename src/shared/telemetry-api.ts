import { z } from 'zod';
import {
  aggregateInputSchema,
  aggregateSchema,
  alertRuleInputSchema,
  alertHistoryEntrySchema,
  alertHistoryQuerySchema,
  alertRuleSchema,
  fleetAnalyticsInputSchema,
  fleetAnalyticsSchema,
  telemetryPointsSchema,
  telemetryQuerySchema,
} from './telemetry';

/** Where Rigger's telemetry comes from now: the MQTT subscription and what is kept. */
export const telemetryStatusSchema = z.object({
  mqtt: z
    .object({
      state: z.enum(['connecting', 'connected', 'reconnecting', 'stopped']),
      broker: z.string(),
      received: z.number(),
      malformed: z.number(),
      reconnects: z.number(),
      retry_in_ms: z.number().nullable(),
      last_error: z.string().nullable(),
      connected_since: z.string().nullable(),
    })
    .nullable(),
  /** Why there is no subscription, in words, when there is none. */
  mqtt_note: z.string().nullable(),
  raw_samples: z.number(),
});
export type TelemetryStatus = z.infer<typeof telemetryStatusSchema>;

/** Telemetry and alerts: the seed's telemetry service as operations. */
export const telemetryOperations = {
  'telemetry.query': { input: telemetryQuerySchema, output: telemetryPointsSchema },
  'telemetry.aggregate': { input: aggregateInputSchema, output: aggregateSchema },
  'telemetry.fleetAnalytics': { input: fleetAnalyticsInputSchema, output: fleetAnalyticsSchema },
  'telemetry.status': { input: z.strictObject({}), output: telemetryStatusSchema },
  'alerts.list': {
    input: z.strictObject({}),
    output: z.object({ alerts: z.array(alertRuleSchema) }),
  },
  'alerts.add': { input: alertRuleInputSchema, output: alertRuleSchema },
  'alerts.history': {
    input: alertHistoryQuerySchema,
    output: z.object({ events: z.array(alertHistoryEntrySchema) }),
  },
  'alerts.remove': {
    input: z.strictObject({ id: z.string().min(1) }),
    output: z.object({ status: z.literal('removed'), id: z.string() }),
  },
} as const;
