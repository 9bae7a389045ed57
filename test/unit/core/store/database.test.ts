import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, openDatabase } from '../../../../src/main/core/store/database';
import { MIGRATIONS } from '../../../../src/main/core/store/migrations';
import { fresh } from './fresh-dir';

describe('database', () => {
  it('opens in WAL mode with foreign keys on, at the newest migration', () => {
    const db = openDatabase(fresh());
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    db.close();
  });

  it('numbers migrations 1..n without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  it('applies each migration on top of the previous one, and re-opening applies nothing twice', () => {
    const dir = fresh();
    const db = openDatabase(dir, []);
    for (const m of MIGRATIONS) {
      expect(
        migrate(
          db,
          MIGRATIONS.filter((x) => x.version <= m.version),
        ),
      ).toBe(m.version);
    }
    db.close();
    const again = openDatabase(dir);
    expect(again.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    again.close();
  });

  it('a failing migration leaves the database at the previous version', () => {
    const db = openDatabase(fresh());
    const v = db.pragma('user_version', { simple: true }) as number;
    expect(() =>
      migrate(db, [
        ...MIGRATIONS,
        { version: v + 1, name: 'bad', sql: 'CREATE TABLE t (x); SELECT nope FROM nowhere;' },
      ]),
    ).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(v);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 't'").get()).toBeUndefined();
    db.close();
  });

  it('refuses a data directory that cannot be written, with a clear code', () => {
    const dir = fresh();
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    expect(() => openDatabase(join(file, 'data'))).toThrow(
      expect.objectContaining({ code: 'DATA_DIR_UNWRITABLE' }),
    );
    if (process.getuid?.() !== 0) {
      chmodSync(dir, 0o500);
      expect(() => openDatabase(dir)).toThrow(
        expect.objectContaining({ code: 'DATA_DIR_UNWRITABLE' }),
      );
    }
  });
});
