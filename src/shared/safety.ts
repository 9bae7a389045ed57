import { z } from 'zod';

export const CONSTRAINT_NAMES = [
  'crane_motion',
  'acs_collision',
  'ups_battery',
  'network_connectivity',
  'disk_space',
] as const;
export type ConstraintName = (typeof CONSTRAINT_NAMES)[number];

const constraint = z
  .object({ enabled: z.boolean(), blocking: z.boolean(), status: z.string().optional() })
  .catchall(z.unknown());

/** Seed "Check Safety Status", plus `overridden` (the constraints an active override lifts). */
export const safetyStatusSchema = z.object({
  constraints: z.object({
    crane_motion: constraint,
    acs_collision: constraint,
    ups_battery: constraint,
    network_connectivity: constraint,
    disk_space: constraint,
  }),
  force_override: z.boolean(),
  update_allowed: z.boolean(),
  safety_score: z.number(),
  recommendations: z.array(z.string()),
  overridden: z.array(z.enum(CONSTRAINT_NAMES)),
});
export type SafetyStatus = z.infer<typeof safetyStatusSchema>;

export const safetyRefSchema = z.strictObject({ gateway: z.string().min(1) });

/** Seed "Override Safety Constraints", plus the gateway it applies to. */
export const overrideInputSchema = z.strictObject({
  gateway: z.string().min(1),
  enable: z.boolean().default(true),
  pin: z.string().min(1),
  reason: z.string().min(3),
  /** Left out (as in the seed's example client): the constraints blocking now. */
  constraints: z.array(z.enum(CONSTRAINT_NAMES)).min(1).optional(),
  duration: z.number().int().min(60).max(86400).default(3600),
  acknowledge_risks: z.boolean(),
  operator: z.string().default('local'),
});

export const overrideSchema = z.object({
  status: z.enum(['override_enabled', 'override_disabled']),
  override_id: z.string(),
  warning: z.string(),
  duration: z.number(),
  expires_at: z.string(),
  constraints_overridden: z.array(z.enum(CONSTRAINT_NAMES)),
  acknowledgments: z.object({
    risk_accepted: z.boolean(),
    operator: z.string(),
    timestamp: z.string(),
  }),
});

export const setPinInputSchema = z.strictObject({
  pin: z.string().regex(/^\d{4,12}$/, '4 to 12 digits'),
  current_pin: z.string().optional(),
});
export const setPinSchema = z.object({ status: z.literal('pin_set') });
