/**
 * Numbered migrations. Each runs once, in order, inside a transaction; `PRAGMA user_version`
 * records the last one applied. Never edit a migration that has shipped: add the next one.
 */
import { AREA_MIGRATIONS } from './migrations-areas';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'settings, gateways, audit log',
    sql: `
      CREATE TABLE settings (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        document TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE gateways (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        profile TEXT NOT NULL,
        connection TEXT NOT NULL,
        secret TEXT,
        host_key_algorithm TEXT,
        host_key_fingerprint TEXT,
        host_key_pinned_at TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        last_seen TEXT
      );
      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        gateway_id INTEGER REFERENCES gateways(id) ON DELETE SET NULL,
        action TEXT NOT NULL,
        outcome TEXT NOT NULL,
        details TEXT NOT NULL DEFAULT '{}'
      );
      CREATE INDEX audit_log_gateway ON audit_log(gateway_id, at);
    `,
  },
  {
    version: 2,
    name: 'image library: images, trusted keys, catalog',
    sql: `
      CREATE TABLE images (
        id TEXT PRIMARY KEY,
        version TEXT NOT NULL,
        channel TEXT,
        type TEXT,
        signature TEXT NOT NULL,
        blob TEXT NOT NULL,
        record TEXT NOT NULL,
        imported_at TEXT NOT NULL
      );
      CREATE INDEX images_blob ON images(blob);
      CREATE TABLE trusted_keys (
        fingerprint TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('ed25519', 'x509-ca')),
        name TEXT NOT NULL,
        pem TEXT NOT NULL,
        added_at TEXT NOT NULL,
        not_after TEXT
      );
      CREATE TABLE catalog_entries (
        channel TEXT NOT NULL,
        id TEXT NOT NULL,
        entry TEXT NOT NULL,
        bundle_url TEXT NOT NULL,
        PRIMARY KEY (channel, id)
      );
      CREATE TABLE catalog_state (
        channel TEXT PRIMARY KEY,
        server TEXT NOT NULL,
        generated TEXT NOT NULL,
        refreshed_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: 'update jobs and their steps, safety PIN and overrides',
    sql: `
      CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        gateway TEXT NOT NULL,
        type TEXT NOT NULL,
        subtype TEXT NOT NULL,
        status TEXT NOT NULL,
        operation TEXT NOT NULL DEFAULT 'pending',
        progress REAL NOT NULL DEFAULT 0,
        bytes_done INTEGER NOT NULL DEFAULT 0,
        bytes_total INTEGER NOT NULL DEFAULT 0,
        speed INTEGER NOT NULL DEFAULT 0,
        errors INTEGER NOT NULL DEFAULT 0,
        retries INTEGER NOT NULL DEFAULT 0,
        started_by TEXT NOT NULL,
        owner_pid INTEGER,
        started_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        finished_at TEXT,
        params TEXT NOT NULL DEFAULT '{}',
        state TEXT NOT NULL DEFAULT '{}',
        result TEXT,
        error TEXT
      );
      CREATE INDEX jobs_gateway ON jobs(gateway, status);
      CREATE TABLE job_steps (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),
        started_at TEXT NOT NULL,
        finished_at TEXT,
        details TEXT NOT NULL DEFAULT '{}'
      );
      CREATE INDEX job_steps_job ON job_steps(job_id, id);
      CREATE TABLE safety_pin (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        salt TEXT NOT NULL,
        hash TEXT NOT NULL,
        failures INTEGER NOT NULL DEFAULT 0,
        lockouts INTEGER NOT NULL DEFAULT 0,
        locked_until TEXT,
        set_at TEXT NOT NULL
      );
      CREATE TABLE safety_overrides (
        id TEXT PRIMARY KEY,
        gateway TEXT NOT NULL,
        constraints TEXT NOT NULL,
        reason TEXT NOT NULL,
        operator TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        revoked_at TEXT
      );
    `,
  },
  {
    version: 4,
    name: 'snapshots of gateways kept on this laptop',
    sql: `
      CREATE TABLE snapshots (
        id TEXT PRIMARY KEY,
        gateway TEXT NOT NULL COLLATE NOCASE,
        model TEXT,
        name TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        type TEXT NOT NULL CHECK (type IN ('automatic', 'manual')),
        created_at TEXT NOT NULL,
        version TEXT,
        slot TEXT CHECK (slot IN ('A', 'B')),
        includes TEXT NOT NULL,
        file TEXT NOT NULL,
        size INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        files TEXT NOT NULL,
        job_id TEXT
      );
      CREATE INDEX snapshots_gateway ON snapshots(gateway, created_at);
    `,
  },
  {
    version: 5,
    name: "a snapshot may hold a slot's image beside its data paths",
    // JSON {slot, version, file, size, sha256, file_sha256}, or NULL for data paths only.
    sql: `ALTER TABLE snapshots ADD COLUMN slot_image TEXT;`,
  },
  ...AREA_MIGRATIONS,
];
