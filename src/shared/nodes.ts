import { z } from 'zod';
import { CHANNELS } from './settings';
import { SEVERITIES, UPDATE_TYPES, versionString } from './images';

/**
 * The nodes behind a gateway (GATEWAY-CONTRACT.md section 7): the node tool's output, node
 * firmware bundles (IMAGE-BUNDLE.md), and the seed node-ota-api.md's shapes.
 */

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits');
const hex32 = z.string().regex(/^[0-9a-f]{32}$/, 'must be 32 lower-case hex digits');
export const nodeIdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'letters, digits, . _ : - only');

/** `manifest.json` of a node-firmware bundle. */
export const nodeFirmwareManifestSchema = z.strictObject({
  manifest: z.literal(1),
  kind: z.literal('node-firmware'),
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'letters, digits, . _ - only'),
  version: versionString,
  type: z.enum(UPDATE_TYPES),
  severity: z.enum(SEVERITIES),
  channel: z.enum(CHANNELS),
  released: z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'must be a date YYYY-MM-DD'),
  description: z.string(),
  changelog: z.array(z.string()),
  compatible: z.strictObject({ node_types: z.array(z.string().min(1)).min(1) }),
  /** The node's running version must meet these: `X.Y.Z+`, `X.Y.Z`, `<X.Y.Z` (as for images). */
  prerequisites: z.array(
    z
      .string()
      .regex(
        /^(<v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?|v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?\+?)$/,
        'must be X.Y.Z+, X.Y.Z or <X.Y.Z',
      ),
  ),
  image: z.strictObject({
    file: z.string().regex(/^[^/\\]+$/, 'must be a plain file name'),
    format: z.literal('raw'),
    compression: z.literal('none'),
    size: z.number().int().positive(),
    sha256: hex64,
    md5: hex32.optional(),
  }),
});
export type NodeFirmwareManifest = z.infer<typeof nodeFirmwareManifestSchema>;

/** Node firmware in Rigger's library. */
export const nodeFirmwareSchema = z.strictObject({
  id: z.string(),
  version: z.string(),
  description: z.string(),
  node_types: z.array(z.string()),
  prerequisites: z.array(z.string()),
  size: z.number().int(),
  sha256: hex64,
  md5: hex32,
  signer: z.string(),
  signer_name: z.string(),
  imported_at: z.string(),
});
export type NodeFirmware = z.infer<typeof nodeFirmwareSchema>;

/** One node as the gateway's `list_command` prints it. */
export const toolNodeSchema = z.object({
  node_id: nodeIdSchema,
  name: z.string().max(256),
  type: z.string().min(1).max(128),
  fw_version: z.string().max(64).nullable(),
  online: z.boolean(),
});
export type ToolNode = z.infer<typeof toolNodeSchema>;
export const gatewayNodeSchema = toolNodeSchema.extend({ gateway: z.string() });
export type GatewayNode = z.infer<typeof gatewayNodeSchema>;

export const TOOL_STATES = [
  'idle',
  'downloading',
  'verifying',
  'rebooting',
  'success',
  'failed',
  'rejected',
] as const;
/** What the gateway's `status_command` prints. */
export const toolStatusSchema = z.object({
  node_id: z.string(),
  state: z.enum(TOOL_STATES),
  fw_version: z.string().max(64).nullable(),
  pending_version: z.string().max(64).nullable().optional(),
  progress: z.number().min(0).max(100).optional(),
  message: z.string().max(4096).optional(),
});
export type ToolStatus = z.infer<typeof toolStatusSchema>;

/** Seed `GET /{version}/user/nodes/ota_update`. */
export const otaCheckResponseSchema = z.union([
  z.strictObject({
    status: z.literal('success'),
    ota_available: z.literal(true),
    description: z.string(),
    fw_version: z.string(),
    ota_job_id: z.string(),
    file_size: z.number().int(),
    file_md5: z.string().optional(),
  }),
  z.strictObject({
    status: z.literal('success'),
    ota_available: z.literal(false),
    description: z.string(),
  }),
]);
export type OtaCheckResponse = z.infer<typeof otaCheckResponseSchema>;

/** Seed `POST /{version}/user/nodes/ota_update` body and answer. */
export const otaPushRequestSchema = z.object({
  ota_job_id: z.string().min(1),
  node_id: z.string().min(1),
});
export const otaPushResponseSchema = z.strictObject({
  status: z.literal('success'),
  description: z.string(),
});
export type OtaPushResponse = z.infer<typeof otaPushResponseSchema>;

export const OTA_JOB_STATUSES = [
  'initiated',
  'in_progress',
  'success',
  'failed',
  'rejected',
] as const;
export type OtaJobStatus = (typeof OTA_JOB_STATUSES)[number];
/** Seed `GET /{version}/user/nodes/ota_status`. */
export const otaStatusResponseSchema = z.strictObject({
  status: z.enum(OTA_JOB_STATUSES),
  node_id: z.string(),
  ota_job_id: z.string(),
  timestamp: z.number().int(),
  additional_info: z.string(),
});
export type OtaStatusResponse = z.infer<typeof otaStatusResponseSchema>;

/** Seed `GET /{version}/user/nodes/config` (step 4 reads `info.fw_version`). */
export const nodeConfigResponseSchema = z.strictObject({
  node_id: z.string(),
  gateway: z.string(),
  online: z.boolean(),
  info: z.strictObject({ name: z.string(), type: z.string(), fw_version: z.string().nullable() }),
});
export type NodeConfigResponse = z.infer<typeof nodeConfigResponseSchema>;

/** The HTTP status the seed gives each refusal; carried in an error's `details.http_status`. */
export const NODE_HTTP = { badRequest: 400, notFound: 404, busy: 423 } as const;
