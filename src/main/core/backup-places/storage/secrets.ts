import { RiggerError } from '../../../../shared/errors';

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SftpCredentials {
  password?: string;
  privateKeyFile?: string;
}

/**
 * Where a location's credentials come from: the OS keychain in the desktop app, the environment
 * elsewhere. Locations keep only the name (`credentials_ref`), never the secret.
 */
export interface SecretProvider {
  s3Credentials(ref: string): Promise<S3Credentials>;
  sftpCredentials(ref: string): Promise<SftpCredentials>;
}

const envName = (ref: string, what: string) =>
  `RIGGER_STORAGE_${ref.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_${what}`;

/** Credentials from environment variables named after the reference (RIGGER_STORAGE_<REF>_…). */
export function envSecrets(env: NodeJS.ProcessEnv = process.env): SecretProvider {
  const need = (ref: string, what: string): string => {
    const v = env[envName(ref, what)];
    if (!v) {
      throw new RiggerError(
        'SECRET_UNAVAILABLE',
        `No ${what.toLowerCase()} for storage credentials "${ref}"`,
        {
          variable: envName(ref, what),
        },
        [`Export ${envName(ref, what)}`],
      );
    }
    return v;
  };
  return {
    async s3Credentials(ref) {
      return {
        accessKeyId: need(ref, 'ACCESS_KEY_ID'),
        secretAccessKey: need(ref, 'SECRET_ACCESS_KEY'),
        sessionToken: env[envName(ref, 'SESSION_TOKEN')] || undefined,
      };
    },
    async sftpCredentials(ref) {
      const keyFile = env[envName(ref, 'KEY_FILE')];
      if (keyFile) return { privateKeyFile: keyFile };
      return { password: need(ref, 'PASSWORD') };
    },
  };
}
