import { z } from 'zod';
import { deviceId } from './devices';

/**
 * The OTA service in the seed's shapes (devices-ota-telemetry-api.md, "OTA Service"): firmware
 * versions, a device's update check, trigger, status, rollback, and batch rollouts in waves.
 */

const version = z.string().min(1).max(64);
/** A yes/no that may come as a multipart field ("true"/"false"), never "false" read as true. */
const flag = z
  .union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')])
  .default(false);
const deviceType = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a device type is a word');

/** Seed "Create Firmware Version": the multipart fields beside `file`. */
export const firmwareCreateSchema = z.strictObject({
  version,
  device_type: deviceType,
  release_notes: z.string().max(4000).optional(),
  /** Rigger's addition: a firmware that devices must take (the check answers `mandatory`). */
  mandatory: flag,
  /** An unsigned image is taken only with this explicit, audited choice. */
  unsigned: flag,
});
export type FirmwareCreateInput = z.input<typeof firmwareCreateSchema>;

export const firmwareSchema = z.object({
  version: z.string(),
  device_type: z.string(),
  release_notes: z.string().nullable(),
  checksum: z.string(),
  size: z.number(),
  mandatory: z.boolean(),
  /** The image library's id of the bundle or image this firmware is. */
  image_id: z.string(),
  signed: z.boolean(),
  created_at: z.string(),
});
export type Firmware = z.infer<typeof firmwareSchema>;

/** Seed "List Firmware Versions": `?device_type=smart_speaker`. */
export const firmwareListQuerySchema = z.strictObject({ device_type: deviceType.optional() });
export const firmwareListSchema = z.object({ firmware: z.array(firmwareSchema) });

/** Seed "Check for Updates": what the device says in its headers. */
export const otaCheckInputSchema = z.strictObject({
  device_id: deviceId,
  firmware_version: version.optional(),
});
export const otaCheckSchema = z.object({
  update_available: z.boolean(),
  current_version: z.string().nullable(),
  latest_version: z.string().nullable(),
  download_url: z.string().nullable(),
  checksum: z.string().nullable(),
  size: z.number().nullable(),
  release_notes: z.string().nullable(),
  mandatory: z.boolean(),
});
export type OtaCheck = z.infer<typeof otaCheckSchema>;

/** Seed "Trigger Update". */
export const otaTriggerSchema = z.strictObject({
  device_id: deviceId,
  target_version: version,
  force: z.boolean().default(false),
});
export type OtaTriggerInput = z.input<typeof otaTriggerSchema>;

export const UPDATE_STATUSES = [
  'idle',
  'pending',
  'in_progress',
  'completed',
  'failed',
  'rolled_back',
  'postponed',
] as const;
export const UPDATE_STAGES = [
  'queued',
  'downloading',
  'verifying',
  'installing',
  'rebooting',
  'verifying_boot',
  'waiting_for_safety',
  'done',
] as const;

/** Seed "Update Status". */
export const otaUpdateStatusSchema = z.object({
  device_id: z.string(),
  update_status: z.enum(UPDATE_STATUSES),
  current_version: z.string().nullable(),
  target_version: z.string().nullable(),
  progress: z.number().min(0).max(100),
  stage: z.enum(UPDATE_STAGES).nullable(),
  started_at: z.string().nullable(),
  /** Rigger's addition: the job doing it, to follow with `jobs.get`. */
  job_id: z.string().nullable(),
  error: z.string().nullable(),
});
export type OtaUpdateStatus = z.infer<typeof otaUpdateStatusSchema>;

/** Seed "Rollback Firmware". */
export const otaRollbackSchema = z.strictObject({
  device_id: deviceId,
  target_version: version,
  reason: z.string().min(1).max(1000),
});
export type OtaRollbackInput = z.input<typeof otaRollbackSchema>;

/** Seed "Batch Update", and Rigger's rollout gates (hawkBit's success and error conditions). */
export const batchUpdateSchema = z.strictObject({
  device_type: deviceType,
  target_version: version,
  /** The first wave's share of the devices (hawkBit's first group); the rest go in groups. */
  rollout_percentage: z.number().gt(0, 'rollout_percentage is above 0').max(100),
  /** When the first wave may start (ISO-8601); now when absent. */
  schedule: z.iso.datetime({ offset: true }).optional(),
  /** How many waves the devices after the first wave are split into. */
  groups: z.number().int().min(1).max(100).default(3),
  /** Percent of a wave's devices that must succeed before the next wave starts. */
  success_threshold: z.number().min(1).max(100).default(100),
  /** Percent of a wave's devices failed at which the rollout pauses (hawkBit's error action). */
  error_threshold: z.number().min(0).max(100).default(0),
  /** Only these devices of the type (the technician's visit); all of the type when absent. */
  device_ids: z.array(deviceId).min(1).max(1000).optional(),
});
export type BatchUpdateInput = z.input<typeof batchUpdateSchema>;
export type BatchUpdate = z.output<typeof batchUpdateSchema>;

export const ROLLOUT_STATUSES = [
  'scheduled',
  'running',
  'paused',
  'finished',
  'cancelled',
] as const;
export type RolloutStatus = (typeof ROLLOUT_STATUSES)[number];
export const WAVE_STATUSES = ['waiting', 'running', 'done', 'failed', 'cancelled'] as const;
export type WaveStatus = (typeof WAVE_STATUSES)[number];
export const TARGET_STATUSES = [
  'waiting',
  'running',
  'postponed',
  'success',
  'failed',
  'skipped',
  'cancelled',
] as const;
export type TargetStatus = (typeof TARGET_STATUSES)[number];

export const rolloutTargetSchema = z.object({
  device_id: z.string(),
  gateway: z.string().nullable(),
  status: z.enum(TARGET_STATUSES),
  job_id: z.string().nullable(),
  /** Why it is postponed or failed: the error code and message. */
  reason: z.string().nullable(),
  attempts: z.number(),
  updated_at: z.string(),
});
export type RolloutTarget = z.infer<typeof rolloutTargetSchema>;

export const rolloutWaveSchema = z.object({
  index: z.number(),
  status: z.enum(WAVE_STATUSES),
  targets: z.array(rolloutTargetSchema),
});
export type RolloutWave = z.infer<typeof rolloutWaveSchema>;

export const rolloutSchema = z.object({
  rollout_id: z.string(),
  device_type: z.string(),
  target_version: z.string(),
  image_id: z.string(),
  rollout_percentage: z.number(),
  schedule: z.string().nullable(),
  success_threshold: z.number(),
  error_threshold: z.number(),
  status: z.enum(ROLLOUT_STATUSES),
  /** Why it is paused (the wave that crossed the error threshold), or null. */
  paused_reason: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  waves: z.array(rolloutWaveSchema),
});
export type Rollout = z.infer<typeof rolloutSchema>;

export const rolloutRefSchema = z.strictObject({ rollout_id: z.string().min(1).max(64) });
export const rolloutSkipSchema = z.strictObject({
  rollout_id: z.string().min(1).max(64),
  device_id: deviceId,
});
