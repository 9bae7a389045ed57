import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, openDatabase } from '../../../../src/main/core/store/database';
import { MIGRATIONS } from '../../../../src/main/core/store/migrations';

const fresh = () => mkdtempSync(join(tmpdir(), 'rigger-db-'));

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

  it('migration 1: gateway names are unique without regard to case, audit rows survive a removed gateway', () => {
    const db = openDatabase(fresh());
    const ins = db.prepare(
      "INSERT INTO gateways (name, profile, connection, created_at, updated_at) VALUES (?, 'p', '{}', 'now', 'now')",
    );
    const { lastInsertRowid } = ins.run('Crane-7');
    expect(() => ins.run('crane-7')).toThrow(/UNIQUE/);
    db.prepare(
      "INSERT INTO audit_log (at, gateway_id, action, outcome) VALUES ('now', ?, 'pin', 'ok')",
    ).run(lastInsertRowid);
    db.prepare('DELETE FROM gateways WHERE id = ?').run(lastInsertRowid);
    expect(db.prepare('SELECT gateway_id FROM audit_log').get()).toEqual({ gateway_id: null });
    db.close();
  });

  it('migration 4: a snapshot row needs a known type, and is found by gateway whatever the case', () => {
    const db = openDatabase(fresh());
    const ins = db.prepare(
      "INSERT INTO snapshots (id, gateway, name, type, created_at, includes, file, size, sha256, files) VALUES (?, 'Crane-7', 'n', ?, 'now', '[]', 'f', 1, 'h', '{}')",
    );
    ins.run('snap-1', 'manual');
    expect(() => ins.run('snap-2', 'weekly')).toThrow(/CHECK/);
    expect(db.prepare("SELECT id FROM snapshots WHERE gateway = 'crane-7'").all()).toEqual([
      { id: 'snap-1' },
    ]);
    db.close();
  });

  it('migration 5: a snapshot row holds its slot image or NULL', () => {
    const db = openDatabase(fresh());
    const ins = db.prepare(
      "INSERT INTO snapshots (id, gateway, name, type, created_at, includes, file, size, sha256, files, slot_image) VALUES (?, 'gw', 'n', 'manual', 'now', '[]', 'f', 1, 'h', '{}', ?)",
    );
    ins.run('snap-1', null);
    ins.run('snap-2', JSON.stringify({ slot: 'A', file: 'snap-2.slot-A.img.gz' }));
    expect(db.prepare('SELECT id, slot_image FROM snapshots ORDER BY id').all()).toEqual([
      { id: 'snap-1', slot_image: null },
      { id: 'snap-2', slot_image: '{"slot":"A","file":"snap-2.slot-A.img.gz"}' },
    ]);
    db.close();
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
