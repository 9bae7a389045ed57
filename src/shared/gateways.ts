import { z } from 'zod';

/** The gateway registry's contract: records, and the inputs that add or change them. */

export const gatewayNameSchema = z
  .string()
  .trim()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
    'use 1-64 letters, digits, dot, dash or underscore, starting with a letter or digit',
  );

const hostSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(253)
  .regex(/^[A-Za-z0-9.:_-]+$/, 'must be a host name or IP address');
const portSchema = z.number().int().min(1).max(65535);
const envVarSchema = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name');

/** How Rigger proves itself to the gateway. A password is never stored in plain text. */
export const sshAuthSchema = z.discriminatedUnion('method', [
  z.strictObject({
    method: z.literal('key'),
    key_file: z.string().min(1, 'must not be empty'),
    /** The key's passphrase, read at connect time from an environment variable (the CLI's way). */
    passphrase_env: envVarSchema.optional(),
    /** A passphrase typed in the app: sealed like a password; only ever an input. */
    passphrase: z.string().min(1).optional(),
  }),
  /** Read at connect time from an environment variable (the CLI's way). */
  z.strictObject({ method: z.literal('password-env'), password_env: envVarSchema }),
  /** Kept by the app's secret store (Electron safeStorage); `password` is only ever an input. */
  z.strictObject({ method: z.literal('password'), password: z.string().min(1).optional() }),
]);
export type SshAuth = z.infer<typeof sshAuthSchema>;

export const sshConnectionSchema = z.strictObject({
  type: z.literal('ssh'),
  host: hostSchema,
  port: portSchema.default(22),
  user: z.string().trim().min(1, 'must not be empty').max(64),
  auth: sshAuthSchema,
});

/** How Rigger logs in to Linux at the console's login prompt (no key: a console has none). */
export const consoleAuthSchema = z.discriminatedUnion('method', [
  /** The console drops straight into a shell, or a login needs no password. */
  z.strictObject({ method: z.literal('none') }),
  z.strictObject({ method: z.literal('password-env'), password_env: envVarSchema }),
  z.strictObject({ method: z.literal('password'), password: z.string().min(1).optional() }),
]);
export type ConsoleAuth = z.infer<typeof consoleAuthSchema>;

/** A gateway reached over a USB-to-serial adapter at its console port (8N1). */
export const serialConnectionSchema = z.strictObject({
  type: z.literal('serial'),
  /** /dev/ttyUSB0, /dev/serial/by-id/…, or COM3 on Windows. */
  port: z.string().trim().min(1, 'must not be empty'),
  baud: z.number().int().positive().default(115200),
  /** The Linux login at the console (used when the gateway shows a login prompt). */
  user: z.string().trim().min(1, 'must not be empty').max(64).default('root'),
  auth: consoleAuthSchema.default({ method: 'none' }),
});

export const connectionSchema = z.discriminatedUnion('type', [
  sshConnectionSchema,
  serialConnectionSchema,
]);
export type Connection = z.infer<typeof connectionSchema>;

export const hostKeySchema = z.object({
  algorithm: z.string(),
  fingerprint: z.string(),
  pinned_at: z.string(),
});
export type HostKey = z.infer<typeof hostKeySchema>;

/** A gateway as the registry returns it (secrets never included). */
export const gatewaySchema = z.object({
  id: z.number().int(),
  name: z.string(),
  profile: z.string(),
  connection: connectionSchema,
  host_key: hostKeySchema.nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  last_seen: z.string().nullable(),
});
export type Gateway = z.infer<typeof gatewaySchema>;

/** An OpenSSH SHA-256 fingerprint (`SHA256:` + base64, as `ssh-keygen -l` prints it). */
export const fingerprintSchema = z
  .string()
  .regex(/^SHA256:[A-Za-z0-9+/]+={0,2}$/, 'must be an OpenSSH SHA256 fingerprint');

/** A host key the technician accepted after a connection test: saving pins exactly it. */
export const acceptedHostKeySchema = z.strictObject({
  algorithm: z.string().min(1).max(64),
  fingerprint: fingerprintSchema,
});

export const gatewayAddSchema = z.strictObject({
  name: gatewayNameSchema,
  profile: z.string().trim().min(1, 'choose a profile'),
  connection: connectionSchema,
  host_key: acceptedHostKeySchema.optional(),
});
export type GatewayAddInput = z.input<typeof gatewayAddSchema>;

export const gatewayEditSchema = z.strictObject({
  name: gatewayNameSchema,
  changes: z.strictObject({
    name: gatewayNameSchema.optional(),
    profile: z.string().trim().min(1).optional(),
    connection: connectionSchema.optional(),
  }),
  /** A new host or port drops the pinned host key: only with this, after asking the user. */
  confirm_new_address: z.boolean().optional(),
  /** The key a connection test found and the technician accepted: pinned with the change. */
  host_key: acceptedHostKeySchema.optional(),
});
export type GatewayEditInput = z.input<typeof gatewayEditSchema>;

export const gatewayRefSchema = z.strictObject({ name: gatewayNameSchema });

/** Trust the host key the user was shown (first use), or replace a changed one on purpose. */
export const pinHostKeySchema = z.strictObject({
  name: gatewayNameSchema,
  fingerprint: fingerprintSchema,
});
