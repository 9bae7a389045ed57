import {
  createCipheriv,
  createDecipheriv,
  createHash,
  randomBytes,
  scryptSync,
  timingSafeEqual,
} from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { RiggerError } from '../../../shared/errors';
import type { SecretStore } from '../secrets';
import { KEY_ID_BYTES, encryptionError } from './chunk-format';
import { writeFileAtomic } from './files';

/**
 * A site's backup key: 32 random bytes, made once per backup store. It never lies on disk in
 * the clear: the key file holds it wrapped, by a passphrase (scrypt, for the CLI and browser
 * mode) and/or by the OS keychain through the core's SecretStore (the desktop app).
 */
export interface BackupKey {
  /** 16 hex characters, recorded in every object's header and as the seed's `key_id`. */
  id: string;
  key: Buffer;
}

export const PASSPHRASE_ENV = 'RIGGER_BACKUP_PASSPHRASE';
export const KEY_FILE = 'keys.json';

/** scrypt cost: 2^17 × 8 × 128 B = 128 MiB and well under a second, as OWASP suggests. */
export const SCRYPT_DEFAULT = { n: 2 ** 17, r: 8, p: 1 };
/** What a key file from outside may ask for, so a hostile one cannot exhaust memory. */
const SCRYPT_BOUNDS = { minN: 2 ** 14, maxN: 2 ** 20, maxR: 32, maxP: 16 };

/** The key id: a hash of the key, so a wrong key or passphrase is named as such at once. */
export const keyIdOf = (key: Buffer) =>
  createHash('sha256')
    .update('rigger-backup key id\0')
    .update(key)
    .digest()
    .subarray(0, KEY_ID_BYTES)
    .toString('hex');

/** A new random site key. */
export function generateBackupKey(): BackupKey {
  const key = randomBytes(32);
  return { id: keyIdOf(key), key };
}

const b64 = z
  .string()
  .max(4096)
  .regex(/^[A-Za-z0-9+/=]*$/);
const slotSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('passphrase'),
    kdf: z.literal('scrypt'),
    n: z.number().int().min(SCRYPT_BOUNDS.minN).max(SCRYPT_BOUNDS.maxN),
    r: z.number().int().min(1).max(SCRYPT_BOUNDS.maxR),
    p: z.number().int().min(1).max(SCRYPT_BOUNDS.maxP),
    salt: b64,
    wrapped: b64,
  }),
  z.object({ type: z.literal('keychain'), sealed: z.string().max(8192) }),
]);
type KeySlot = z.infer<typeof slotSchema>;
const keyFileSchema = z.object({
  format: z.literal('rigger-backup-keys'),
  version: z.literal(1),
  key_id: z.string().regex(/^[0-9a-f]{16}$/),
  slots: z.array(slotSchema).min(1).max(16),
});
type KeyFile = z.infer<typeof keyFileSchema>;

const WRAP_AAD = (keyId: string) => Buffer.from(`rigger-backup key slot v1 ${keyId}`);

/** AES-256-GCM of the site key under a key-encryption key: nonce, ciphertext, tag. */
function wrap(kek: Buffer, k: BackupKey): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', kek, iv).setAAD(WRAP_AAD(k.id));
  const body = Buffer.concat([c.update(k.key), c.final()]);
  return Buffer.concat([iv, body, c.getAuthTag()]).toString('base64');
}

function unwrap(kek: Buffer, wrapped: string, keyId: string): Buffer | null {
  const raw = Buffer.from(wrapped, 'base64');
  if (raw.length !== 12 + 32 + 16) return null;
  try {
    const d = createDecipheriv('aes-256-gcm', kek, raw.subarray(0, 12)).setAAD(WRAP_AAD(keyId));
    d.setAuthTag(raw.subarray(44));
    return Buffer.concat([d.update(raw.subarray(12, 44)), d.final()]);
  } catch {
    return null;
  }
}

const kekOf = (passphrase: string, salt: Buffer, n: number, r: number, p: number) =>
  scryptSync(passphrase.normalize('NFKC'), salt, 32, { N: n, r, p, maxmem: 160 * r * n + 1 });

/** A passphrase slot for `k`. */
export function passphraseSlot(k: BackupKey, passphrase: string, cost = SCRYPT_DEFAULT): KeySlot {
  checkPassphrase(passphrase);
  const salt = randomBytes(16);
  const kek = kekOf(passphrase, salt, cost.n, cost.r, cost.p);
  return {
    type: 'passphrase',
    kdf: 'scrypt',
    ...cost,
    salt: salt.toString('base64'),
    wrapped: wrap(kek, k),
  };
}

/** A keychain slot for `k`: sealed by the OS keychain (the desktop's SecretStore). */
export const keychainSlot = (k: BackupKey, secrets: SecretStore): KeySlot => ({
  type: 'keychain',
  sealed: secrets.seal(k.key.toString('base64')),
});

function checkPassphrase(passphrase: string): void {
  if (passphrase.length < 8 || passphrase.length > 1024)
    throw new RiggerError(
      'VALIDATION_ERROR',
      'A backup passphrase is 8 to 1024 characters',
      { length: passphrase.length },
      [`Set ${PASSPHRASE_ENV} to a longer passphrase`],
    );
}

/** The passphrase from RIGGER_BACKUP_PASSPHRASE, or null when it is not set. */
export function passphraseFromEnv(env: NodeJS.ProcessEnv = process.env): string | null {
  const v = env[PASSPHRASE_ENV];
  return v === undefined || v === '' ? null : v;
}

export interface Unlockers {
  passphrase?: string | null;
  secrets?: SecretStore | null;
}

/** Make the site key of a new store and write its key file with one slot per unlocker. */
export function createKeyFile(dir: string, by: Unlockers, cost = SCRYPT_DEFAULT): BackupKey {
  const path = join(dir, KEY_FILE);
  if (existsSync(path))
    throw new RiggerError('ALREADY_EXISTS', `${path} already exists: a site key is never replaced`);
  const k = generateBackupKey();
  const slots: KeySlot[] = [];
  if (by.secrets && by.secrets.kind !== 'none') slots.push(keychainSlot(k, by.secrets));
  if (by.passphrase) slots.push(passphraseSlot(k, by.passphrase, cost));
  if (!slots.length)
    throw new RiggerError(
      'SECRET_UNAVAILABLE',
      'An encrypted backup needs a key, and here it can be kept neither in a keychain nor by a passphrase',
      {},
      [`Set ${PASSPHRASE_ENV} to a passphrase (or enter one when asked)`],
    );
  const file: KeyFile = { format: 'rigger-backup-keys', version: 1, key_id: k.id, slots };
  writeFileAtomic(path, JSON.stringify(file, null, 2));
  return k;
}

/** Read and check the key file of a store, or null when the store has none yet. */
export function readKeyFile(dir: string): KeyFile | null {
  const path = join(dir, KEY_FILE);
  if (!existsSync(path)) return null;
  const raw = readFileSync(path);
  if (raw.length > 256 * 1024) throw encryptionError(`${path} is too large to be a key file`);
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    throw encryptionError(`${path} is not a Rigger key file`);
  }
  const parsed = keyFileSchema.safeParse(json);
  if (!parsed.success) throw encryptionError(`${path} is not a Rigger key file`);
  return parsed.data;
}

/** Unlock the site key with whatever is at hand: the keychain first, then the passphrase. */
export function openKeyFile(dir: string, by: Unlockers): BackupKey {
  const file = readKeyFile(dir);
  if (!file) throw new RiggerError('BACKUP_NOT_FOUND', `No backup key in ${dir}`);
  const accept = (key: Buffer | null): BackupKey | null =>
    key && timingSafeEqual(Buffer.from(keyIdOf(key)), Buffer.from(file.key_id))
      ? { id: file.key_id, key }
      : null;
  for (const s of file.slots) {
    if (s.type !== 'keychain' || !by.secrets || by.secrets.kind === 'none') continue;
    try {
      const k = accept(Buffer.from(by.secrets.open(s.sealed), 'base64'));
      if (k) return k;
    } catch {
      // Sealed by another keychain: try the passphrase.
    }
  }
  const phrases = file.slots.filter((s) => s.type === 'passphrase');
  if (by.passphrase && phrases.length) {
    for (const s of phrases) {
      const kek = kekOf(by.passphrase, Buffer.from(s.salt, 'base64'), s.n, s.r, s.p);
      const k = accept(unwrap(kek, s.wrapped, file.key_id));
      if (k) return k;
    }
    throw new RiggerError(
      'ENCRYPTION_ERROR',
      `The backup passphrase is wrong (key ${file.key_id})`,
      { key_id: file.key_id },
      [`Set ${PASSPHRASE_ENV} to the passphrase the backups were made with`],
    );
  }
  throw new RiggerError(
    'SECRET_UNAVAILABLE',
    `The backup key ${file.key_id} cannot be unlocked here`,
    { key_id: file.key_id, slots: file.slots.map((s) => s.type) },
    phrases.length
      ? [`Set ${PASSPHRASE_ENV} to the backup passphrase (or enter it when asked)`]
      : ['Open the backups in the desktop app, which keeps this key in the keychain'],
  );
}

/** Add an unlocker to an existing key file (say, a passphrase so the CLI can read desktop backups). */
export function addKeySlot(dir: string, k: BackupKey, slot: KeySlot): void {
  const file = readKeyFile(dir);
  if (!file || file.key_id !== k.id)
    throw new RiggerError('VALIDATION_ERROR', 'That key is not the key of this backup store');
  file.slots = [...file.slots.filter((s) => s.type !== slot.type), slot];
  writeFileAtomic(join(dir, KEY_FILE), JSON.stringify(file, null, 2));
}
