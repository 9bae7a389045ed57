/**
 * Numbered migrations. Each runs once, in order, inside a transaction; `PRAGMA user_version`
 * records the last one applied. Never edit a migration that has shipped: add the next one.
 */
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
  {
    version: 6,
    name: 'telemetry: series, raw samples, hourly and daily rollups, alert rules',
    // Times are milliseconds since the epoch (UTC); a rollup's bucket is its length in ms.
    sql: `
      CREATE TABLE telemetry_series (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        device_id TEXT NOT NULL,
        metric TEXT NOT NULL,
        sealed_hours_until INTEGER NOT NULL DEFAULT 0,
        sealed_days_until INTEGER NOT NULL DEFAULT 0,
        last_ts INTEGER NOT NULL DEFAULT 0,
        UNIQUE (device_id, metric)
      );
      CREATE TABLE telemetry_raw (
        series INTEGER NOT NULL REFERENCES telemetry_series(id) ON DELETE CASCADE,
        ts INTEGER NOT NULL,
        value REAL NOT NULL,
        PRIMARY KEY (series, ts)
      ) WITHOUT ROWID;
      CREATE TABLE telemetry_rollup (
        series INTEGER NOT NULL REFERENCES telemetry_series(id) ON DELETE CASCADE,
        bucket INTEGER NOT NULL,
        start INTEGER NOT NULL,
        count INTEGER NOT NULL,
        sum REAL NOT NULL,
        min REAL NOT NULL,
        max REAL NOT NULL,
        p95 REAL NOT NULL,
        PRIMARY KEY (series, bucket, start)
      ) WITHOUT ROWID;
      CREATE TABLE telemetry_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        device_id TEXT NOT NULL,
        ts INTEGER NOT NULL,
        type TEXT NOT NULL,
        data TEXT
      );
      CREATE INDEX telemetry_events_device ON telemetry_events(device_id, ts);
      CREATE TABLE alert_rules (
        id TEXT PRIMARY KEY,
        rule TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE alert_state (
        rule_id TEXT NOT NULL REFERENCES alert_rules(id) ON DELETE CASCADE,
        device_id TEXT NOT NULL,
        firing INTEGER NOT NULL DEFAULT 0,
        pending_since INTEGER,
        fired_at INTEGER,
        cleared_at INTEGER,
        last_value REAL,
        PRIMARY KEY (rule_id, device_id)
      );
      CREATE TABLE alert_deliveries (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        rule_id TEXT NOT NULL REFERENCES alert_rules(id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        url TEXT NOT NULL,
        ok INTEGER NOT NULL,
        error TEXT
      );
    `,
  },
  {
    version: 7,
    name: 'fleet: devices with hashed tokens, firmware versions, rollouts in waves',
    sql: `
      CREATE TABLE devices (
        device_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        device_type TEXT NOT NULL,
        manufacturer TEXT,
        model TEXT,
        firmware_version TEXT,
        metadata TEXT NOT NULL DEFAULT '{}',
        state TEXT NOT NULL DEFAULT 'registered',
        last_seen TEXT,
        registered_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('gateway', 'registered')),
        gateway TEXT UNIQUE,
        token_hash TEXT,
        token_issued_at TEXT
      );
      CREATE INDEX devices_type ON devices(device_type);
      CREATE TABLE firmware (
        device_type TEXT NOT NULL,
        version TEXT NOT NULL,
        image_id TEXT NOT NULL,
        release_notes TEXT,
        checksum TEXT NOT NULL,
        size INTEGER NOT NULL,
        mandatory INTEGER NOT NULL DEFAULT 0,
        signed INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (device_type, version)
      );
      CREATE TABLE rollouts (
        id TEXT PRIMARY KEY,
        spec TEXT NOT NULL,
        image_id TEXT NOT NULL,
        status TEXT NOT NULL,
        paused_reason TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE rollout_waves (
        rollout_id TEXT NOT NULL REFERENCES rollouts(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        status TEXT NOT NULL,
        PRIMARY KEY (rollout_id, idx)
      );
      CREATE TABLE rollout_targets (
        rollout_id TEXT NOT NULL REFERENCES rollouts(id) ON DELETE CASCADE,
        wave INTEGER NOT NULL,
        device_id TEXT NOT NULL,
        gateway TEXT,
        status TEXT NOT NULL,
        job_id TEXT,
        reason TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        not_before INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (rollout_id, device_id)
      );
    `,
  },
  {
    version: 8,
    name: 'hawkBit courier: polled controllers, fetched actions, the feedback outbox',
    // Times are ISO-8601 UTC. An outbox row is sent once (sent_at) and queued once (dedupe).
    sql: `
      CREATE TABLE hawkbit_controllers (
        controller_id TEXT PRIMARY KEY,
        gateway TEXT NOT NULL,
        etag TEXT,
        base TEXT,
        polled_at TEXT,
        next_poll_at TEXT
      );
      CREATE TABLE hawkbit_actions (
        controller_id TEXT NOT NULL,
        action_id TEXT NOT NULL,
        gateway TEXT NOT NULL,
        deployment TEXT NOT NULL,
        state TEXT NOT NULL
          CHECK (state IN ('open', 'downloaded', 'failed', 'canceled', 'installed', 'closed')),
        files TEXT NOT NULL DEFAULT '[]',
        error TEXT,
        fetched_at TEXT NOT NULL,
        cancel_requested_at TEXT,
        PRIMARY KEY (controller_id, action_id)
      );
      CREATE TABLE hawkbit_outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        controller_id TEXT NOT NULL,
        gateway TEXT NOT NULL,
        action_id TEXT,
        channel TEXT NOT NULL CHECK (channel IN ('deploymentBase', 'cancelAction', 'assignedDS')),
        body TEXT NOT NULL,
        dedupe TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        sent_at TEXT,
        not_reported TEXT
      );
      CREATE INDEX hawkbit_outbox_pending ON hawkbit_outbox(controller_id, sent_at, id);
    `,
  },
];
