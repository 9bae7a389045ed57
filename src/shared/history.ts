import { z } from 'zod';
import { slotIdSchema } from './profile';

/** One past update, in the seed's "Get Update History" shape. */
export const historyEntrySchema = z.object({
  id: z.string(),
  version: z.string(),
  type: z.string().nullable(),
  status: z.enum(['success', 'failed', 'cancelled']),
  date: z.string(),
  time: z.string(),
  duration: z.string(),
  partition: slotIdSchema,
  size: z.string().nullable(),
  initiated_by: z.string(),
  rollback: z.boolean(),
  gateway: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
  error: z.string().optional(),
  error_details: z.record(z.string(), z.unknown()).optional(),
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

export const historyInputSchema = z.strictObject({
  gateway: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  status: z.enum(['success', 'failed', 'cancelled']).optional(),
  type: z.enum(['security', 'feature', 'hotfix']).optional(),
  since: z.string().optional(),
  until: z.string().optional(),
});

export const historySchema = z.object({
  history: z.array(historyEntrySchema),
  statistics: z.object({
    total_updates: z.number().int(),
    success_rate: z.string(),
    average_duration: z.string(),
    last_success: z.string().nullable(),
    last_failure: z.string().nullable(),
  }),
});
export type History = z.infer<typeof historySchema>;
