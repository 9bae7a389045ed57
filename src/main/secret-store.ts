import { safeStorage } from 'electron';
import { RiggerError } from '../shared/errors';
import type { SecretStore } from './core/secrets';

/** The part of Electron's safeStorage the store uses. */
export type SafeStorageLike = Pick<
  typeof safeStorage,
  'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'
>;

const USE_A_KEY = 'Use a key file for this gateway';

/**
 * Passwords sealed by the operating system's keychain (Electron safeStorage), never plain text.
 * The core's SecretStore is synchronous, so this uses safeStorage's synchronous calls.
 */
export function safeStorageSecretStore(
  storage: SafeStorageLike = safeStorage,
  platform: NodeJS.Platform = process.platform,
): SecretStore {
  const ensure = () => {
    if (!storage.isEncryptionAvailable()) {
      throw new RiggerError(
        'SECRET_UNAVAILABLE',
        "This computer's keychain is not available, so Rigger cannot store a password safely",
        {},
        [USE_A_KEY, 'Unlock or set up the desktop keyring, then try again'],
      );
    }
    // Without a Secret Service or KWallet, Linux "encrypts" with a fixed, public key: that is
    // plain text in all but name, so it is refused like no keychain at all.
    if (platform === 'linux' && storage.getSelectedStorageBackend() === 'basic_text') {
      throw new RiggerError(
        'SECRET_UNAVAILABLE',
        'No desktop keyring (GNOME Keyring or KWallet) is running, so Rigger cannot store a password safely',
        { backend: 'basic_text' },
        [USE_A_KEY, 'Start the desktop keyring, then restart Rigger'],
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
      try {
        return storage.decryptString(Buffer.from(sealed, 'base64'));
      } catch (err) {
        // Sealed under another user, machine or keyring: the password must be entered again.
        throw new RiggerError(
          'SECRET_UNAVAILABLE',
          "The stored password cannot be read with this computer's keychain",
          { reason: err instanceof Error ? err.message : String(err) },
          ['Edit the gateway and enter the password again', USE_A_KEY],
        );
      }
    },
  };
}
