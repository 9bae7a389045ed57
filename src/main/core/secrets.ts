import { RiggerError } from '../../shared/errors';
import type { PinVault } from './safety/pin';

/**
 * Where passwords go. The Electron shell hands in one backed by safeStorage; browser mode
 * keeps them in memory for the server's lifetime; the CLI has none (it reads a password from
 * an environment variable the user names). Nothing here ever writes plain text to disk.
 */
export interface SecretStore {
  readonly kind: 'safe-storage' | 'memory' | 'none';
  /** Seal a secret into a string that is safe to store in the database. */
  seal(plain: string): string;
  /** Open what `seal` produced. */
  open(sealed: string): string;
  /** Where the override PIN's verifier is kept beyond the data folder (the OS keychain). */
  readonly pinVault?: PinVault | null;
}

/** A store that cannot keep secrets: asking it to is a clear error. */
export function noSecretStore(): SecretStore {
  const refuse = (): never => {
    throw new RiggerError(
      'SECRET_UNAVAILABLE',
      'Passwords cannot be stored here: use a key file, or a password from an environment variable.',
      {},
      [
        'Log in with a key: rigger gateway add NAME --ssh USER@HOST --key FILE --profile PROFILE',
        'Or with a password exported in a variable: rigger gateway add NAME --ssh USER@HOST --password-env VAR --profile PROFILE',
      ],
    );
  };
  return { kind: 'none', seal: refuse, open: refuse };
}

/** Secrets held only in this process's memory (browser mode): lost when it exits, never on disk. */
export function memorySecretStore(): SecretStore {
  const held = new Map<string, string>();
  let next = 0;
  return {
    kind: 'memory',
    seal(plain) {
      const handle = `mem:${process.pid}:${++next}`;
      held.set(handle, plain);
      return handle;
    },
    open(sealed) {
      const plain = held.get(sealed);
      if (plain === undefined) {
        throw new RiggerError(
          'SECRET_UNAVAILABLE',
          'The password for this gateway was kept only in memory by an earlier session and is gone.',
          {},
          ['Edit the gateway and enter the password again'],
        );
      }
      return plain;
    },
  };
}
