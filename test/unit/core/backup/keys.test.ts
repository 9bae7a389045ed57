import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  addKeySlot,
  createKeyFile,
  openKeyFile,
  passphraseFromEnv,
  passphraseSlot,
} from '../../../../src/main/core/backup/keys';
import { memorySecretStore, noSecretStore } from '../../../../src/main/core/secrets';

// The lowest cost a key file may ask for, to keep the test quick; the default is 2^17.
const CHEAP = { n: 2 ** 14, r: 8, p: 1 };
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'rigger-keys-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('the site backup key', () => {
  it('is unlocked by the passphrase it was made with, and by no other', () => {
    const dir = tmp();
    const made = createKeyFile(dir, { passphrase: 'correct horse battery' }, CHEAP);
    expect(made.id).toMatch(/^[0-9a-f]{16}$/);
    const opened = openKeyFile(dir, { passphrase: 'correct horse battery' });
    expect(opened.key.equals(made.key)).toBe(true);
    expect(() => openKeyFile(dir, { passphrase: 'wrong horse battery' })).toThrow(
      expect.objectContaining({
        code: 'ENCRYPTION_ERROR',
        message: expect.stringMatching(/wrong/),
      }),
    );
    expect(statSync(join(dir, 'keys.json')).mode & 0o777).toBe(0o600);
    // The key itself is never in the file.
    expect(readFileSync(join(dir, 'keys.json'), 'utf8')).not.toContain(made.key.toString('base64'));
  });

  it('is kept by the keychain (SecretStore) for the desktop, and a passphrase slot can be added', () => {
    const dir = tmp();
    const secrets = memorySecretStore();
    const made = createKeyFile(dir, { secrets }, CHEAP);
    expect(openKeyFile(dir, { secrets }).key.equals(made.key)).toBe(true);
    expect(() => openKeyFile(dir, { secrets: noSecretStore() })).toThrow(
      expect.objectContaining({ code: 'SECRET_UNAVAILABLE' }),
    );
    addKeySlot(dir, made, passphraseSlot(made, 'a passphrase for the CLI', CHEAP));
    expect(openKeyFile(dir, { passphrase: 'a passphrase for the CLI' }).id).toBe(made.id);
  });

  it('cannot be made with nothing to keep it, nor replaced', () => {
    const dir = tmp();
    expect(() => createKeyFile(dir, { secrets: noSecretStore() })).toThrow(
      expect.objectContaining({ code: 'SECRET_UNAVAILABLE' }),
    );
    expect(() => createKeyFile(dir, { passphrase: 'short' })).toThrow(/8 to 1024/);
    createKeyFile(dir, { passphrase: 'long enough phrase' }, CHEAP);
    expect(() => createKeyFile(dir, { passphrase: 'long enough phrase' }, CHEAP)).toThrow(
      expect.objectContaining({ code: 'ALREADY_EXISTS' }),
    );
  });

  it('reads the passphrase from RIGGER_BACKUP_PASSPHRASE', () => {
    expect(passphraseFromEnv({ RIGGER_BACKUP_PASSPHRASE: 'from the env' })).toBe('from the env');
    expect(passphraseFromEnv({})).toBeNull();
  });
});
