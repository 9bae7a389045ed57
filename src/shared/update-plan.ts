import { z } from 'zod';
import { slotIdSchema } from './profile';

const slot = slotIdSchema;

/** `updates.plan`: which path a write of this image to this gateway would take, and why. */
export const updatePlanInputSchema = z.strictObject({
  gateway: z.string().min(1),
  update_id: z.string().min(1).optional(),
  version: z.string().min(1).optional(),
  target_partition: slot.optional(),
});
export type UpdatePlanInput = z.output<typeof updatePlanInputSchema>;

/** What Rigger knows of one slot: the image the status file names, and whether it is proven. */
export const slotBasisSchema = z.object({
  slot,
  /** The library image the status file's entry names (by its SHA-256), if the library has it. */
  image_id: z.string().nullable(),
  version: z.string().nullable(),
  sha256: z.string().nullable(),
  /** The gateway's own SHA-256 of the slot equals that image's. */
  proven: z.boolean(),
  /** In words: "holds v5.2.0, proven by the gateway's hash" or why it is not. */
  detail: z.string(),
});
export type SlotBasis = z.infer<typeof slotBasisSchema>;

export const UPDATE_PATHS = ['full_raw', 'full_gzip', 'delta'] as const;

export const updatePlanSchema = z.object({
  gateway: z.string(),
  image_id: z.string(),
  version: z.string(),
  target_partition: slot,
  booted_partition: slot,
  path: z.enum(UPDATE_PATHS),
  /** One line: "12.4 MB to send of 452 MB: 3% new, 9% copied on the gateway". */
  summary: z.string(),
  /** Why this path (and, for a full write, why not a delta). */
  reason: z.string(),
  /** Why a delta was not taken; null when it was. */
  fallback: z.string().nullable(),
  bytes_total: z.number().int().nonnegative(),
  bytes_on_wire: z.number().int().nonnegative(),
  /** How the bytes that travel are sent. */
  wire: z.enum(['raw', 'gzip']),
  delta: z
    .object({
      send_bytes: z.number().int().nonnegative(),
      copy_bytes: z.number().int().nonnegative(),
      keep_bytes: z.number().int().nonnegative(),
      runs: z.number().int().nonnegative(),
    })
    .nullable(),
  basis: z.object({ target: slotBasisSchema, booted: slotBasisSchema }),
  rates: z.object({ link_rate: z.number().nullable(), gunzip_rate: z.number().nullable() }),
});
export type UpdatePlan = z.infer<typeof updatePlanSchema>;
