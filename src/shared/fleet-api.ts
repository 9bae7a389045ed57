import { z } from 'zod';
import {
  deviceId,
  deviceListQuerySchema,
  deviceListSchema,
  devicePatchSchema,
  deviceRefSchema,
  deviceRegisteredSchema,
  deviceRegisterSchema,
  deviceSchema,
} from './devices';
import {
  batchUpdateSchema,
  firmwareCreateSchema,
  firmwareListQuerySchema,
  firmwareListSchema,
  firmwareSchema,
  otaCheckInputSchema,
  otaCheckSchema,
  otaRollbackSchema,
  otaTriggerSchema,
  otaUpdateStatusSchema,
  rolloutRefSchema,
  rolloutSchema,
  rolloutSkipSchema,
} from './fleet-ota';

/** Seed "Update Device" with the path's `{device_id}` beside the fields to change. */
export const deviceUpdateSchema = z
  .strictObject({ device_id: deviceId, ...devicePatchSchema.shape })
  .refine((p) => Object.keys(p).length > 1, 'name at least one field to change');

/**
 * Seed "Create Firmware Version": the image is one of the library (`image_id`), a file on this
 * computer (`path`), or the seed's multipart `file` (saved under the name in `upload`).
 */
export const firmwareAddSchema = z
  .strictObject({
    ...firmwareCreateSchema.shape,
    image_id: z.string().min(1).max(200).optional(),
    path: z.string().min(1).max(4096).optional(),
    upload: z.string().min(1).max(255).optional(),
  })
  .refine((v) => [v.image_id, v.path, v.upload].filter(Boolean).length === 1, {
    message: 'give one of image_id (an image in the library), path or a file upload',
    path: ['image_id'],
  });

/** The fleet: the seed's device service and OTA service, with rollouts in waves. */
export const fleetOperations = {
  'devices.register': { input: deviceRegisterSchema, output: deviceRegisteredSchema },
  'devices.get': { input: deviceRefSchema, output: deviceSchema },
  'devices.list': { input: deviceListQuerySchema, output: deviceListSchema },
  'devices.update': { input: deviceUpdateSchema, output: deviceSchema },
  'devices.decommission': { input: deviceRefSchema, output: deviceSchema },
  'firmware.list': { input: firmwareListQuerySchema, output: firmwareListSchema },
  'firmware.add': { input: firmwareAddSchema, output: firmwareSchema },
  'ota.check': { input: otaCheckInputSchema, output: otaCheckSchema },
  'ota.trigger': { input: otaTriggerSchema, output: otaUpdateStatusSchema },
  'ota.status': { input: deviceRefSchema, output: otaUpdateStatusSchema },
  'ota.rollback': { input: otaRollbackSchema, output: otaUpdateStatusSchema },
  'ota.batchUpdate': { input: batchUpdateSchema, output: rolloutSchema },
  'rollouts.get': { input: rolloutRefSchema, output: rolloutSchema },
  'rollouts.list': {
    input: z.strictObject({}),
    output: z.object({ rollouts: z.array(rolloutSchema) }),
  },
  'rollouts.pause': { input: rolloutRefSchema, output: rolloutSchema },
  'rollouts.resume': { input: rolloutRefSchema, output: rolloutSchema },
  'rollouts.cancel': { input: rolloutRefSchema, output: rolloutSchema },
  'rollouts.skip': { input: rolloutSkipSchema, output: rolloutSchema },
} as const;
