import { z } from 'zod';

/**
 * Rigger's settings: the seed's `GET /cloud-integration/settings` document, field for field,
 * plus Rigger's own sections (`rigger`), less what Rigger does not do (notifications, an update
 * strategy, automatic downloads and installs). Every field has a default, so an old settings row
 * always parses after an upgrade.
 */

export const DAYS = [
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
  'Sunday',
] as const;
export const CHANNELS = ['stable', 'beta', 'nightly'] as const;
export const SCHEDULES = ['daily', 'weekdays', 'weekends', 'custom'] as const;
export const UPDATE_STRATEGIES = ['seamless', 'maintenance', 'manual'] as const;
export const THEMES = ['light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

export const settingsSchema = z.strictObject({
  auto_update: z
    .strictObject({
      enabled: z.boolean().default(false),
      auto_rollback: z.boolean().default(true),
    })
    .prefault({}),
  channels: z
    .strictObject({
      current: z.enum(CHANNELS).default('stable'),
      available: z.array(z.enum(CHANNELS)).default([...CHANNELS]),
    })
    .prefault({}),
  maintenance_window: z
    .strictObject({
      enabled: z.boolean().default(false),
      schedule: z.enum(SCHEDULES).default('daily'),
      time: z
        .string()
        .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM')
        .default('02:00'),
      duration: z.number().int().positive().default(3600),
      days: z.array(z.enum(DAYS)).default([...DAYS]),
    })
    .prefault({}),
  /** Always on: shown so the document tells the truth; unsigned images are a per-image choice. */
  verification: z
    .strictObject({
      verify_signature: z.literal(true).default(true),
      verify_checksum: z.literal(true).default(true),
      verify_size: z.literal(true).default(true),
    })
    .prefault({}),
  safety_constraints: z
    .strictObject({
      crane_motion_lock: z.boolean().default(true),
      acs_collision_warning: z.boolean().default(true),
      ups_battery_check: z.boolean().default(true),
      minimum_battery_level: z.number().min(0).max(100).default(30),
      network_connectivity: z.boolean().default(true),
      disk_space_threshold: z.number().min(0).max(100).default(20),
    })
    .prefault({}),
  /** Rigger's addition: the seed's `recovery_options` (recovery/status), kept as settings. */
  recovery: z
    .strictObject({
      rollback_enabled: z.boolean().default(true),
      snapshot_enabled: z.boolean().default(true),
      factory_reset_enabled: z.boolean().default(true),
      max_snapshots: z.number().int().min(1).max(1000).default(10),
      snapshot_retention_days: z.number().int().min(1).max(3650).default(30),
    })
    .prefault({}),
  /**
   * Rigger's addition: where telemetry comes from. The broker's password is never stored here:
   * it comes from RIGGER_MQTT_PASSWORD or `rigger serve --mqtt URL`, for the life of the process.
   */
  telemetry: z
    .strictObject({
      mqtt_url: z
        .string()
        .regex(
          /^mqtts?:\/\/[^/@\s]+(:\d+)?\/?$/,
          'mqtt://HOST:PORT or mqtts://HOST:PORT, no user or password',
        )
        .nullable()
        .default(null),
      mqtt_username: z.string().min(1).max(128).nullable().default(null),
      /** How often a gateway's own status reads are kept as telemetry, at most. */
      sample_interval_seconds: z.number().int().min(10).max(3600).default(60),
    })
    .prefault({}),
  rigger: z
    .strictObject({
      update_server_url: z.string().default(''),
      image_quota_bytes: z.number().int().nonnegative().default(0),
      ssh_connect_timeout_ms: z.number().int().min(1000).max(120000).default(10000),
      ssh_command_timeout_ms: z.number().int().min(1000).max(3600000).default(30000),
      theme: z.enum(THEMES).default('light'),
    })
    .prefault({}),
});
export type Settings = z.output<typeof settingsSchema>;

/**
 * A partial settings document: any subset of sections and fields, plus `pin` when the change
 * lowers a safety or trust gate.
 */
export const settingsUpdateSchema = z.record(z.string(), z.unknown());

export const settingsUpdateResultSchema = z.object({
  status: z.literal('updated'),
  message: z.string(),
  restart_required: z.boolean(),
  changes: z.record(z.string(), z.object({ old: z.unknown(), new: z.unknown() })),
  /** Rigger's addition: fields the request named that Rigger does not offer, left alone. */
  ignored: z.array(z.object({ field: z.string(), reason: z.string() })),
});
export type SettingsUpdateResult = z.infer<typeof settingsUpdateResultSchema>;

export const settingsOperations = {
  'settings.get': { input: z.strictObject({}), output: settingsSchema },
  'settings.update': { input: settingsUpdateSchema, output: settingsUpdateResultSchema },
} as const;
