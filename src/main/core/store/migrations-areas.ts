import type { Migration } from './migrations';

/**
 * The migrations of the areas built on the first five (telemetry, the fleet, the hawkBit
 * courier), in order; the same rule holds: never edit one that has shipped, add the next one.
 */
export const AREA_MIGRATIONS: readonly Migration[] = [
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
  {
    version: 9,
    name: "hawkBit courier: each action's library images and its rollout as assigned",
    // images: JSON array of library image ids; rollout: JSON as the Management API gave it.
    sql: `
      ALTER TABLE hawkbit_actions ADD COLUMN images TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE hawkbit_actions ADD COLUMN library_note TEXT;
      ALTER TABLE hawkbit_actions ADD COLUMN rollout TEXT;
    `,
  },
  {
    version: 10,
    name: 'fleet: nodes behind gateways are devices (source node, gateway as parent); alert history',
    // SQLite changes a CHECK or drops a UNIQUE only by rebuilding the table.
    sql: `
      CREATE TABLE devices_next (
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
        source TEXT NOT NULL CHECK (source IN ('gateway', 'registered', 'node')),
        gateway TEXT,
        token_hash TEXT,
        token_issued_at TEXT
      );
      INSERT INTO devices_next SELECT device_id, name, device_type, manufacturer, model,
        firmware_version, metadata, state, last_seen, registered_at, updated_at, source, gateway,
        token_hash, token_issued_at FROM devices;
      DROP TABLE devices;
      ALTER TABLE devices_next RENAME TO devices;
      CREATE INDEX devices_type ON devices(device_type);
      CREATE UNIQUE INDEX devices_gateway ON devices(gateway) WHERE source = 'gateway';
      CREATE INDEX devices_parent ON devices(gateway) WHERE source = 'node';
      CREATE TABLE alert_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        rule_id TEXT NOT NULL,
        name TEXT NOT NULL,
        device_id TEXT NOT NULL,
        metric TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('firing', 'cleared')),
        value REAL NOT NULL,
        threshold REAL NOT NULL,
        timestamp TEXT NOT NULL
      );
      CREATE INDEX alert_events_device ON alert_events(device_id, id);
    `,
  },
];
