import { safeStorage } from 'electron';
import { RiggerError } from '../shared/errors';
import type { SecretStore } from './core/secrets';

/** Passwords sealed by the operating system's keychain (Electron safeStorage), never plain text. */
export function safeStorageSecretStore(
  storage: Pick<
    typeof safeStorage,
    'isEncryptionAvailable' | 'encryptString' | 'decryptString'
  > = safeStorage,
): SecretStore {
  const ensure = () => {
    if (!storage.isEncryptionAvailable()) {
      throw new RiggerError(
        'SECRET_UNAVAILABLE',
        "This computer's keychain is not available, so Rigger cannot store a password safely",
        {},
        ['Use a key file for this gateway', 'Unlock or set up the desktop keyring, then try again'],
      );
    }
  };
  return {
    kind: 'safe-storage',
    seal(plain) {
      ensure();
      return storage.encryptString(plain).toString('base64');
    },
    open(sealed) {
      ensure();
      return storage.decryptString(Buffer.from(sealed, 'base64'));
    },
  };
}
