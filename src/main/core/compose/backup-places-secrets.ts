import { z } from 'zod';
import type { OperationParsedInput } from '../../../shared/api';
import { RiggerError } from '../../../shared/errors';
import {
  envSecrets,
  type S3Credentials,
  type SecretProvider,
  type SftpCredentials,
} from '../backup-places/storage/secrets';
import type { SecretStore } from '../secrets';

/** Credentials of one reference as kept in the settings file: each value sealed by the keychain. */
export const sealedCredentialsSchema = z.record(
  z.string().max(128),
  z.object({
    access_key_id: z.string().optional(),
    secret_access_key: z.string().optional(),
    session_token: z.string().optional(),
    password: z.string().optional(),
  }),
);
export type SealedCredentials = z.infer<typeof sealedCredentialsSchema>;

/**
 * Storage credentials: sealed by the OS keychain (the desktop's SecretStore) where one is,
 * else read from the environment (RIGGER_STORAGE_<REF>_…). Nothing is kept in clear.
 */
export function placesSecrets(d: {
  store: SecretStore;
  sealed: () => SealedCredentials;
  save: (next: SealedCredentials) => void;
  env: NodeJS.ProcessEnv;
}) {
  const env = envSecrets(d.env);
  const open = (ref: string) => {
    const s = d.sealed()[ref];
    if (!s) return null;
    const o = (v: string | undefined) => (v === undefined ? undefined : d.store.open(v));
    try {
      return {
        access_key_id: o(s.access_key_id),
        secret_access_key: o(s.secret_access_key),
        session_token: o(s.session_token),
        password: o(s.password),
      };
    } catch {
      // Sealed by a keychain not at hand (another app, or browser mode's memory that is gone).
      return null;
    }
  };
  const provider: SecretProvider = {
    async s3Credentials(ref): Promise<S3Credentials> {
      const c = open(ref);
      if (c?.access_key_id && c.secret_access_key)
        return {
          accessKeyId: c.access_key_id,
          secretAccessKey: c.secret_access_key,
          sessionToken: c.session_token,
        };
      return env.s3Credentials(ref);
    },
    async sftpCredentials(ref): Promise<SftpCredentials> {
      const c = open(ref);
      if (c?.password) return { password: c.password };
      return env.sftpCredentials(ref);
    },
  };
  return {
    provider,
    /** Seal and keep credentials for a reference (refused where no keychain is). */
    set(input: OperationParsedInput<'backupPlaces.storageCredentials'>) {
      if (d.store.kind === 'none')
        throw new RiggerError(
          'SECRET_UNAVAILABLE',
          'This Rigger has no keychain to keep storage credentials in',
          { credentials_ref: input.credentials_ref },
          [`Export RIGGER_STORAGE_${input.credentials_ref.toUpperCase()}_… instead`],
        );
      const { credentials_ref: ref, ...values } = input;
      const sealed = Object.fromEntries(
        Object.entries(values).map(([k, v]) => [k, d.store.seal(v)]),
      );
      d.save({ ...d.sealed(), [ref]: sealed });
      return { status: 'updated' as const, credentials_ref: ref, kept: d.store.kind };
    },
  };
}
