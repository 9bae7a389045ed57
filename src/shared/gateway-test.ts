import { z } from 'zod';
import { fingerprintSchema, gatewayNameSchema, sshConnectionSchema } from './gateways';

/**
 * A connection test: connect over SSH with the fields of a gateway that is being added or
 * edited, save nothing, and say what was found.
 */
export const connectionTestInputSchema = z.strictObject({
  /**
   * A registered gateway's name: what the input leaves out (its connection, a stored password)
   * comes from its record, and its pinned key is the one to compare. A new name is just a label.
   */
  name: gatewayNameSchema.optional(),
  /** The profile, to read the gateway's identity with (its identity and os-release files). */
  profile: z.string().trim().min(1).optional(),
  connection: sshConnectionSchema.optional(),
  /** A first host key the technician has compared and accepted: only then is a login tried. */
  accept_fingerprint: fingerprintSchema.optional(),
});
export type ConnectionTestInput = z.input<typeof connectionTestInputSchema>;

/** Why a test stopped, one word per thing a technician does differently. */
export const TEST_PROBLEMS = [
  'host_key_new',
  'host_key_changed',
  'key_unreadable',
  'key_format',
  'key_passphrase',
  'key_passphrase_wrong',
  'secret_unavailable',
  'auth_refused',
  'unreachable',
  'timeout',
  'identity_unreadable',
] as const;
export type TestProblem = (typeof TEST_PROBLEMS)[number];

export const HOST_KEY_STATES = ['new', 'known', 'changed'] as const;

export const connectionTestSchema = z.object({
  /** `user@host:port`. */
  target: z.string(),
  /** Login worked and the host key is pinned or accepted: the gateway can be saved. */
  ok: z.boolean(),
  /** An SSH server answered; null when no connection was tried. */
  reachable: z.boolean().nullable(),
  host_key: z
    .object({
      algorithm: z.string(),
      /** SHA-256, as OpenSSH prints it (`SHA256:…`). */
      fingerprint: z.string(),
      /** new: not pinned anywhere; known: the pinned one; changed: differs from the pinned one. */
      state: z.enum(HOST_KEY_STATES),
      /** The key pinned for this address (or accepted for this test), if any. */
      pinned_fingerprint: z.string().nullable(),
    })
    .nullable(),
  /** The login worked (true), was refused (false), or was not tried (null). */
  login: z.boolean().nullable(),
  /** Read from the profile's identity and os-release files after a login (GATEWAY-CONTRACT.md). */
  identity: z
    .object({
      gateway_id: z.string().nullable(),
      name: z.string().nullable(),
      model: z.string().nullable(),
      hardware_revision: z.string().nullable(),
      serial_number: z.string().nullable(),
      version: z.string().nullable(),
    })
    .nullable(),
  problem: z
    .object({
      reason: z.enum(TEST_PROBLEMS),
      code: z.string(),
      message: z.string(),
      suggested_actions: z.array(z.string()),
    })
    .nullable(),
});
export type ConnectionTest = z.infer<typeof connectionTestSchema>;
