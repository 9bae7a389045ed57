import { accessSync, constants, existsSync } from 'node:fs';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { RiggerError } from '../../../shared/errors';
import { loadNative } from '../util/native';
import { keepPrivate, privateDir, privateFile } from '../util/private-files';
import { MIGRATIONS, type Migration } from './migrations';

export type Database = BetterSqlite3.Database;

/** Make sure the data directory exists and can be written, or say plainly why not. */
export function ensureDataDir(dataDir: string): void {
  try {
    privateDir(dataDir);
    accessSync(dataDir, constants.W_OK);
  } catch (err) {
    throw new RiggerError(
      'DATA_DIR_UNWRITABLE',
      `Rigger cannot write its data directory ${dataDir}: ${(err as Error).message}`,
      { data_dir: dataDir },
      ['Choose another folder with --data-dir or RIGGER_DATA_DIR', 'Fix the folder permissions'],
    );
  }
}

/** Open (or create) the database: WAL, foreign keys on, every pending migration applied. */
export function openDatabase(
  dataDir: string,
  migrations: readonly Migration[] = MIGRATIONS,
): Database {
  ensureDataDir(dataDir);
  const Sqlite = loadNative<typeof BetterSqlite3>('better-sqlite3', 'the local database');
  const file = join(dataDir, 'rigger.db');
  // Created private before SQLite opens it; its WAL and shared-memory files take its mode.
  if (!existsSync(file)) privateFile(file);
  keepPrivate(file, `${file}-wal`, `${file}-shm`);
  const db = new Sqlite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db, migrations);
  return db;
}

/** Apply the migrations newer than the database's `user_version`, each in its own transaction. */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): number {
  let current = db.pragma('user_version', { simple: true }) as number;
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
    current = m.version;
  }
  return current;
}
