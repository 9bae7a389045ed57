import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  holdIncoming,
  INCOMING_KEEP_MS,
  incomingOf,
} from '../../../../src/main/core/backup/incoming';
import { backupRoot, openBackupStore } from '../../../../src/main/core/backup/store';
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

  it('removes what interrupted syncs left in .incoming long ago, and nothing still in use', () => {
    const data = mkdtempSync(join(tmpdir(), 'rigger-store-'));
    dirs.push(data);
    const root = backupRoot(data);
    const old = (Date.now() - INCOMING_KEEP_MS - 3_600_000) / 1000;
    /** An incoming backup as a cut pull leaves it: small files and a fetched object. */
    const leftover = (id: string, age: number | null) => {
      const dir = incomingOf(root, id);
      const files = [join(dir, 'small', `${id}.manifest`), join(dir, 'ab', 'ab12')];
      for (const f of files) {
        mkdirSync(join(f, '..'), { recursive: true });
        writeFileSync(f, 'x');
      }
      if (age !== null)
        for (const p of [...files, join(dir, 'small'), join(dir, 'ab'), dir])
          utimesSync(p, age, age);
      return dir;
    };
    leftover('forgotten', old);
    leftover('recent', null);
    // Old, but a pull elsewhere is writing one object into it right now.
    const writing = leftover('being-written', old);
    utimesSync(join(writing, 'ab', 'ab12'), new Date(), new Date());
    // Old, and a pull of this process holds it.
    const release = holdIncoming(leftover('held', old));
    try {
      openBackupStore(data, { env: {}, allowLocked: true });
      expect(readdirSync(join(root, '.incoming')).sort()).toEqual([
        'being-written',
        'held',
        'recent',
      ]);
    } finally {
      release();
    }
    openBackupStore(data, { env: {}, allowLocked: true });
    expect(existsSync(incomingOf(root, 'held'))).toBe(false);
    expect(existsSync(incomingOf(root, 'recent'))).toBe(true);
  });
});
