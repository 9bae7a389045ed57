import { z } from 'zod';
import { gatewayNameSchema } from './gateways';
import {
  installedPluginSchema,
  otaProgressSchema,
  otaStartResponseSchema,
  PLUGIN_NAME,
  terminalLineSchema,
  UPDATE_STATUSES,
} from './plugins';

const updateIdSchema = z.string().min(1).max(128);

/** Install or configure from a plugin ZIP on this computer. */
export const pluginZipInputSchema = z.strictObject({
  gateway: gatewayNameSchema,
  zip_path: z.string().min(1).max(4096),
  /** Accept a ZIP without a trusted signature (recorded in the audit log). */
  unsigned: z.boolean().default(false),
});

export const pluginRollbackInputSchema = z.strictObject({
  gateway: gatewayNameSchema,
  name: z.string().regex(PLUGIN_NAME, 'a plugin name: lower-case letters, digits, . _ -'),
});

export const updateRefSchema = z.strictObject({ update_id: updateIdSchema });

/** The terminal lines of an operation from index `from` on, and its state when they were read. */
export const pluginTerminalInputSchema = z.strictObject({
  update_id: updateIdSchema,
  from: z.number().int().min(0).default(0),
});
export const pluginTerminalSchema = z.strictObject({
  lines: z.array(terminalLineSchema),
  /** Ask again from here for the lines that come next. */
  next: z.number().int().min(0),
  /** The operation's state before the lines were read: when it has ended, no line is missing. */
  status: z.enum(UPDATE_STATUSES),
});

/** Plugin ZIPs on gateways (seed ota-plugin-zip-api.md, GATEWAY-CONTRACT.md section 6). */
export const pluginOperations = {
  'plugins.list': {
    input: z.strictObject({ gateway: gatewayNameSchema }),
    output: z.array(installedPluginSchema),
  },
  'plugins.install': { input: pluginZipInputSchema, output: otaStartResponseSchema },
  'plugins.configure': { input: pluginZipInputSchema, output: otaStartResponseSchema },
  'plugins.rollback': { input: pluginRollbackInputSchema, output: otaStartResponseSchema },
  'plugins.progress': { input: updateRefSchema, output: otaProgressSchema },
  'plugins.terminal': { input: pluginTerminalInputSchema, output: pluginTerminalSchema },
} as const;
