import { z } from 'zod';
import { noInput } from './app';
import { gatewayNameSchema } from './gateways';
import {
  gatewayNodeSchema,
  nodeConfigResponseSchema,
  nodeFirmwareSchema,
  nodeIdSchema,
  OTA_JOB_STATUSES,
  otaCheckResponseSchema,
  otaPushRequestSchema,
  otaPushResponseSchema,
  otaStatusResponseSchema,
  toolStatusSchema,
} from './nodes';

const nodeRefSchema = z.strictObject({ node_id: nodeIdSchema });

export const nodeLiveSchema = z.strictObject({
  node: gatewayNodeSchema,
  /** What the gateway's `status_command` says now; null when the node did not answer. */
  status: toolStatusSchema.nullable(),
  error: z.string(),
});

export const pushAllInputSchema = z.strictObject({
  gateway: gatewayNameSchema,
  type: z.string().min(1).max(128),
  /** Go on after a node fails (by default the first failure stops the rest). */
  continue_on_failure: z.boolean().default(false),
});
export const batchResultSchema = z.strictObject({
  node_id: z.string(),
  status: z.enum([...OTA_JOB_STATUSES, 'up_to_date', 'not_started']),
  additional_info: z.string(),
});

/** The microcontroller nodes behind gateways (seed node-ota-api.md, contract section 7). */
export const nodeOperations = {
  'nodes.list': {
    input: z.strictObject({ gateway: gatewayNameSchema.optional() }),
    output: z.array(gatewayNodeSchema),
  },
  'nodes.check': { input: nodeRefSchema, output: otaCheckResponseSchema },
  'nodes.push': { input: otaPushRequestSchema.strict(), output: otaPushResponseSchema },
  'nodes.status': { input: otaPushRequestSchema.strict(), output: otaStatusResponseSchema },
  'nodes.config': { input: nodeRefSchema, output: nodeConfigResponseSchema },
  'nodes.live': { input: nodeRefSchema, output: nodeLiveSchema },
  'nodes.pushAll': { input: pushAllInputSchema, output: z.array(batchResultSchema) },
  'nodes.firmware': { input: noInput, output: z.array(nodeFirmwareSchema) },
  'nodes.importFirmware': {
    input: z.strictObject({ path: z.string().min(1).max(4096) }),
    output: nodeFirmwareSchema,
  },
} as const;
