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

/** The name of an environment variable a secret is read from. */
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'an environment variable name');

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
      /** An alert with a `notification` action also raises an OS notification (desktop app). */
      desktop_notifications: z.boolean().default(true),
    })
    .prefault({}),
  /**
   * Rigger's addition: the Eclipse hawkBit server Rigger is the offline courier for. The gateway
   * token and the management password are never stored here: they are sealed in the keychain, or
   * read from the environment variables named here.
   */
  hawkbit: z
    .strictObject({
      url: z
        .url({ protocol: /^https?$/ })
        .max(2048)
        .nullable()
        .default(null),
      tenant: z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,64}$/, 'a tenant is letters, digits, _ and -')
        .default('DEFAULT'),
      /** PEM of a private CA the server's certificate must chain to. */
      ca_pem: z
        .string()
        .max(64 * 1024)
        .nullable()
        .default(null),
      /** Rigger gateway name to hawkBit controllerId; others use their identity file's id. */
      controllers: z
        .record(
          z.string().min(1).max(128),
          z.string().regex(/^[A-Za-z0-9._:-]{1,256}$/, 'a controllerId'),
        )
        .default({}),
      management_user: z.string().min(1).max(128).nullable().default(null),
      gateway_token_env: envName.nullable().default(null),
      management_password_env: envName.nullable().default(null),
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
