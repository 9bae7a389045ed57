import { join } from 'node:path';
import { RiggerError } from '../../../shared/errors';
import type { SecretStore } from '../secrets';
import { ensureDir } from './files';
import { sweepIncoming } from './incoming';
import {
  SCRYPT_DEFAULT,
  createKeyFile,
  openKeyFile,
  passphraseFromEnv,
  readKeyFile,
  type BackupKey,
} from './keys';
import { BackupRepository } from './repository';
import { loadSiteKey } from './site-key';

export interface OpenStoreOptions {
  /** The desktop's keychain-backed store; browser mode's memory store and the CLI's none. */
  secrets?: SecretStore | null;
  /** A passphrase (the CLI's prompt); RIGGER_BACKUP_PASSPHRASE is read when this is absent. */
  passphrase?: string | null;
  /** Only plain (unencrypted) backups are needed: a locked key is not an error. */
  allowLocked?: boolean;
  env?: NodeJS.ProcessEnv;
  scryptCost?: typeof SCRYPT_DEFAULT;
}

/** Where a data directory keeps its backups. */
export const backupRoot = (dataDir: string) => join(dataDir, 'backups');

/**
 * Open the site's backup store in Rigger's data directory: the site key is made on first use
 * (kept by the keychain and/or the passphrase), and unlocked after that by whichever is at hand.
 * Stale leftovers of interrupted syncs (`.incoming`, incoming.ts) are removed on the way.
 */
export function openBackupStore(dataDir: string, opts: OpenStoreOptions = {}): BackupRepository {
  const root = ensureDir(backupRoot(dataDir));
  const passphrase = opts.passphrase ?? passphraseFromEnv(opts.env ?? process.env);
  const by = { secrets: opts.secrets ?? null, passphrase };
  let key: BackupKey | null = null;
  try {
    key = readKeyFile(root)
      ? openKeyFile(root, by)
      : createKeyFile(root, by, opts.scryptCost ?? SCRYPT_DEFAULT);
  } catch (err) {
    const locked = err instanceof RiggerError && err.code === 'SECRET_UNAVAILABLE';
    if (!(locked && opts.allowLocked)) throw err;
  }
  // What interrupted syncs left and no sync came back for goes when the store opens.
  sweepIncoming(root);
  return new BackupRepository(root, key, loadSiteKey(root));
}
