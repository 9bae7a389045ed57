import { z } from 'zod';
import { ACTION_STATES, EXECUTIONS, HANDLING } from './hawkbit';
import {
  hawkbitImageSchema,
  hawkbitInstallRecordSchema,
  hawkbitRolloutSchema,
} from './hawkbit-offer';
import { updateOfferSchema } from './images';

/** Where a secret of the hawkBit connection comes from now. */
const secretSource = z.enum(['keychain', 'environment', 'missing']);

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'an environment variable name');

/** `rigger hawkbit config`: the connection, and the secrets sealed or named by their variable. */
export const hawkbitConfigInputSchema = z.strictObject({
  url: z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .optional(),
  tenant: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .optional(),
  ca_pem: z
    .string()
    .max(64 * 1024)
    .nullable()
    .optional(),
  /** Merged into the map: gateway name to controllerId. */
  controllers: z
    .record(
      z.string().min(1).max(128),
      z.string().regex(/^[A-Za-z0-9._:-]{1,256}$/, 'a controllerId'),
    )
    .optional(),
  management_user: z.string().min(1).max(128).nullable().optional(),
  /** Sealed into the keychain at once; refused where there is no keychain (use the env name). */
  gateway_token: z.string().min(1).max(1024).optional(),
  gateway_token_env: envName.nullable().optional(),
  management_password: z.string().min(1).max(1024).optional(),
  management_password_env: envName.nullable().optional(),
});
export type HawkbitConfigInput = z.input<typeof hawkbitConfigInputSchema>;

export const hawkbitConfigSchema = z.object({
  url: z.string().nullable(),
  tenant: z.string(),
  ca_pinned: z.boolean(),
  controllers: z.record(z.string(), z.string()),
  management_user: z.string().nullable(),
  gateway_token: secretSource,
  management_password: secretSource,
});
export type HawkbitConfig = z.infer<typeof hawkbitConfigSchema>;

const syncReportSchema = z.object({
  gateway: z.string(),
  controller_id: z.string(),
  ok: z.boolean(),
  error: z
    .object({ code: z.string(), message: z.string(), status: z.number().optional() })
    .optional(),
  actions: z.array(
    z.object({
      action_id: z.string(),
      state: z.enum(ACTION_STATES),
      version: z.string(),
      forced: z.boolean(),
      maintenance_window: z.enum(['available', 'unavailable']).optional(),
      files: z.array(z.string()),
    }),
  ),
  sent: z.array(
    z.object({
      action_id: z.string(),
      channel: z.enum(['deploymentBase', 'cancelAction']),
      execution: z.enum(EXECUTIONS),
      finished: z.enum(['success', 'failure', 'none']),
    }),
  ),
  config_data_sent: z.boolean(),
  offline_reported: z.array(z.object({ version: z.string(), distribution_set_id: z.number() })),
  not_reported: z.array(z.object({ version: z.string(), reason: z.string() })),
  next_poll_at: z.string().optional(),
  warnings: z.array(z.string()),
});

export const hawkbitSyncSchema = z.object({
  synced_at: z.string(),
  gateways: z.array(syncReportSchema),
});
export type HawkbitSync = z.infer<typeof hawkbitSyncSchema>;

export const hawkbitAssignmentSchema = z.object({
  gateway: z.string(),
  controller_id: z.string(),
  action_id: z.string(),
  version: z.string(),
  download: z.enum(HANDLING),
  update: z.enum(HANDLING),
  maintenance_window: z.enum(['available', 'unavailable']).optional(),
  state: z.enum(ACTION_STATES),
  chunks: z.array(z.object({ part: z.string(), name: z.string(), version: z.string() })),
  files: z.array(z.string()),
  fetched_at: z.string(),
  cancel_requested: z.boolean(),
  summary: z.string(),
  image: hawkbitImageSchema.nullable(),
  offered: z.boolean(),
  problem: z.string().nullable(),
  install: hawkbitInstallRecordSchema.nullable(),
  rollout: hawkbitRolloutSchema.nullable(),
});

export const hawkbitStatusSchema = z.object({
  config: hawkbitConfigSchema,
  assignments: z.array(hawkbitAssignmentSchema),
  pending: z.array(
    z.object({
      gateway: z.string(),
      controller_id: z.string(),
      action_id: z.string().nullable(),
      channel: z.enum(['deploymentBase', 'cancelAction', 'assignedDS']),
      queued_at: z.string(),
      not_reported: z.string().nullable(),
    }),
  ),
});
export type HawkbitStatus = z.infer<typeof hawkbitStatusSchema>;

/** The hawkBit courier: its connection, a sync with the server, and what it holds. */
export const hawkbitOperations = {
  'hawkbit.config': { input: hawkbitConfigInputSchema, output: hawkbitConfigSchema },
  'hawkbit.sync': {
    input: z.strictObject({
      /** Poll even within the interval the server asked for. */
      force: z.boolean().default(false),
      gateways: z.array(z.string().min(1).max(128)).max(1000).optional(),
    }),
    output: hawkbitSyncSchema,
  },
  'hawkbit.status': {
    input: z.strictObject({ gateway: z.string().min(1).max(128).optional() }),
    output: hawkbitStatusSchema,
  },
  /** An offered action as the Updates page's offer of its library image, checked against the gateway. */
  'hawkbit.offer': {
    input: z.strictObject({
      gateway: z.string().min(1).max(128),
      action_id: z.string().regex(/^\d{1,19}$/),
    }),
    output: z.object({ assignment: hawkbitAssignmentSchema, offer: updateOfferSchema }),
  },
} as const;
