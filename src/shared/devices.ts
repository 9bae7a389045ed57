import { z } from 'zod';

/**
 * The device service in the seed's shapes (devices-ota-telemetry-api.md, "Device Service"):
 * register, authenticate, get, list, update, decommission. Every gateway Rigger knows is a device
 * too (`source: 'gateway'`), and so is every node behind one (`source: 'node'`); devices may also register themselves (`source: 'registered'`).
 */

export const DEVICE_STATUSES = [
  'registered',
  'online',
  'offline',
  'updating',
  'error',
  'decommissioned',
] as const;
export type DeviceStatus = (typeof DEVICE_STATUSES)[number];

/** A device's id as it travels in `X-Device-ID` and MQTT topics: no `/`, `+`, `#`, spaces. */
export const deviceId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'a device id is letters, digits and . _ : -');

const shortText = z.string().min(1).max(200);
/** Metadata is free-form but bounded: 32 keys of short text, numbers or booleans. */
export const deviceMetadata = z
  .record(
    z.string().min(1).max(64),
    z.union([z.string().max(500), z.number().finite(), z.boolean(), z.null()]),
  )
  .refine((m) => Object.keys(m).length <= 32, 'metadata holds at most 32 keys');

/** Seed "Register Device". */
export const deviceRegisterSchema = z.strictObject({
  device_id: deviceId,
  device_type: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a device type is a word'),
  name: shortText,
  manufacturer: shortText.optional(),
  model: shortText.optional(),
  firmware_version: z.string().min(1).max(64).optional(),
  metadata: deviceMetadata.default({}),
});
export type DeviceRegisterInput = z.input<typeof deviceRegisterSchema>;

/** Seed "Register Device" response: the token is shown this once and stored only hashed. */
export const deviceRegisteredSchema = z.object({
  device_id: z.string(),
  name: z.string(),
  status: z.enum(DEVICE_STATUSES),
  registered_at: z.string(),
  auth_token: z.string(),
});
export type DeviceRegistered = z.infer<typeof deviceRegisteredSchema>;

/**
 * Seed "Device Authentication": the device proves itself with its current token (the seed's
 * `device_secret`) and gets a fresh one; the old one stops working.
 */
export const deviceAuthSchema = z.strictObject({
  device_id: deviceId,
  device_secret: z.string().min(1).max(512),
  firmware_version: z.string().min(1).max(64).optional(),
});
export type DeviceAuthInput = z.infer<typeof deviceAuthSchema>;

export const deviceAuthResultSchema = z.object({
  device_id: z.string(),
  status: z.enum(DEVICE_STATUSES),
  auth_token: z.string(),
  expires_at: z.string().nullable(),
});
export type DeviceAuthResult = z.infer<typeof deviceAuthResultSchema>;

/** Seed "Get Device" (plus Rigger's own fields after the seed's). */
export const deviceSchema = z.object({
  device_id: z.string(),
  name: z.string(),
  device_type: z.string(),
  status: z.enum(DEVICE_STATUSES),
  firmware_version: z.string().nullable(),
  last_seen: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  manufacturer: z.string().nullable(),
  model: z.string().nullable(),
  registered_at: z.string(),
  /** Where Rigger knows the device from: a gateway it manages, a node behind one, or a device that registered. */
  source: z.enum(['gateway', 'registered', 'node']),
  /** The gateway's name when `source` is `gateway`; for a node, its parent gateway's. */
  gateway: z.string().nullable(),
});
export type Device = z.infer<typeof deviceSchema>;

/** Seed "List Devices": `?status=online&type=smart_speaker`. */
export const deviceListQuerySchema = z.strictObject({
  status: z.enum(DEVICE_STATUSES).optional(),
  type: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
});
export type DeviceListQuery = z.input<typeof deviceListQuerySchema>;

export const deviceListSchema = z.object({
  devices: z.array(deviceSchema),
  total: z.number(),
});
export type DeviceList = z.infer<typeof deviceListSchema>;

/** Seed "Update Device" (PATCH): metadata is merged key by key; a null value removes a key. */
export const devicePatchSchema = z
  .strictObject({
    name: shortText.optional(),
    device_type: deviceRegisterSchema.shape.device_type.optional(),
    manufacturer: shortText.optional(),
    model: shortText.optional(),
    firmware_version: z.string().min(1).max(64).optional(),
    metadata: deviceMetadata.optional(),
  })
  .refine((p) => Object.keys(p).length > 0, 'name at least one field to change');
export type DevicePatch = z.infer<typeof devicePatchSchema>;

export const deviceRefSchema = z.strictObject({ device_id: deviceId });
