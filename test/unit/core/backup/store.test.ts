import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openBackupStore } from '../../../../src/main/core/backup/store';
import { memorySecretStore } from '../../../../src/main/core/secrets';

const CHEAP = { n: 2 ** 14, r: 8, p: 1 };
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('the backup store of a data directory', () => {
  it('makes the site key once, then opens it by keychain or RIGGER_BACKUP_PASSPHRASE', () => {
    const data = mkdtempSync(join(tmpdir(), 'rigger-store-'));
    dirs.push(data);
    const secrets = memorySecretStore();
    const env = { RIGGER_BACKUP_PASSPHRASE: 'site passphrase here' };
    const first = openBackupStore(data, { secrets, env, scryptCost: CHEAP });
    expect(first.root).toBe(join(data, 'backups'));
    const byKeychain = openBackupStore(data, { secrets, env: {} });
    const byPassphrase = openBackupStore(data, { env });
    expect(byKeychain.key!.id).toBe(first.key!.id);
    expect(byPassphrase.key!.key.equals(first.key!.key)).toBe(true);
    expect(byPassphrase.site.fingerprint).toBe(first.site.fingerprint);
    expect(() => openBackupStore(data, { env: {} })).toThrow(
      expect.objectContaining({ code: 'SECRET_UNAVAILABLE' }),
    );
    expect(openBackupStore(data, { env: {}, allowLocked: true }).key).toBeNull();
    expect(() =>
      openBackupStore(data, { env: { RIGGER_BACKUP_PASSPHRASE: 'not the passphrase' } }),
    ).toThrow(expect.objectContaining({ code: 'ENCRYPTION_ERROR' }));
  });
});
