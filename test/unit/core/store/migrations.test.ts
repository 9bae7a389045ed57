import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../src/main/core/store/database';
import { MIGRATIONS } from '../../../../src/main/core/store/migrations';
import { fresh } from './fresh-dir';

describe('database', () => {
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

  /** Table names, columns and indexes the migrations created, read back from SQLite itself. */
  const columns = (db: ReturnType<typeof openDatabase>, table: string) =>
    (db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>).map((c) => c.name);
  const indexes = (db: ReturnType<typeof openDatabase>, table: string) =>
    (db.prepare(`PRAGMA index_list(${table})`).all() as Array<{ name: string; origin: string }>)
      .filter((i) => i.origin === 'c')
      .map((i) => i.name);
  const upTo = (v: number) => MIGRATIONS.filter((m) => m.version <= v);

  it('migration 2: the image library tables, their keys and checks, and rows surviving later migrations', () => {
    const dir = fresh();
    const db = openDatabase(dir, upTo(2));
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(columns(db, 'images')).toEqual([
      'id',
      'version',
      'channel',
      'type',
      'signature',
      'blob',
      'record',
      'imported_at',
    ]);
    expect(indexes(db, 'images')).toEqual(['images_blob']);
    expect(columns(db, 'trusted_keys')).toEqual([
      'fingerprint',
      'kind',
      'name',
      'pem',
      'added_at',
      'not_after',
    ]);
    expect(columns(db, 'catalog_entries')).toEqual(['channel', 'id', 'entry', 'bundle_url']);
    expect(columns(db, 'catalog_state')).toEqual([
      'channel',
      'server',
      'generated',
      'refreshed_at',
    ]);
    // Nothing of migration 3 yet.
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'jobs'").get()).toBeUndefined();

    db.prepare(
      "INSERT INTO images VALUES ('img-1', 'v5.0.4', 'stable', 'full', 'verified', 'ab12', '{}', 'now')",
    ).run();
    expect(() =>
      db
        .prepare(
          "INSERT INTO images VALUES ('img-1', 'v5.0.5', NULL, NULL, 'unsigned', 'cd34', '{}', 'now')",
        )
        .run(),
    ).toThrow(/UNIQUE|PRIMARY/);
    expect(() =>
      db.prepare("INSERT INTO images (id, version) VALUES ('img-2', 'v1')").run(),
    ).toThrow(/NOT NULL/);
    const key = db.prepare(
      "INSERT INTO trusted_keys (fingerprint, kind, name, pem, added_at) VALUES (?, ?, 'k', 'pem', 'now')",
    );
    key.run('SHA256:k1', 'ed25519');
    key.run('SHA256:k2', 'x509-ca');
    expect(() => key.run('SHA256:k3', 'rsa')).toThrow(/CHECK/);
    const entry = db.prepare(
      "INSERT INTO catalog_entries VALUES (?, 'img-1', '{}', 'http://server/b.tar')",
    );
    entry.run('stable');
    entry.run('beta'); // the same image id in another channel is another entry
    expect(() => entry.run('stable')).toThrow(/UNIQUE|PRIMARY/);
    db.prepare("INSERT INTO catalog_state VALUES ('stable', 'http://server', 'g', 'now')").run();
    db.close();

    const later = openDatabase(dir);
    expect(later.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    expect(later.prepare('SELECT id, version, blob FROM images').all()).toEqual([
      { id: 'img-1', version: 'v5.0.4', blob: 'ab12' },
    ]);
    expect(
      later.prepare('SELECT fingerprint, kind FROM trusted_keys ORDER BY fingerprint').all(),
    ).toEqual([
      { fingerprint: 'SHA256:k1', kind: 'ed25519' },
      { fingerprint: 'SHA256:k2', kind: 'x509-ca' },
    ]);
    expect(later.prepare('SELECT COUNT(*) AS n FROM catalog_entries').get()).toEqual({ n: 2 });
    expect(later.prepare('SELECT server FROM catalog_state').get()).toEqual({
      server: 'http://server',
    });
    later.close();
  });

  it('migration 3: jobs with their steps (cascade, status check), safety PIN and overrides, surviving later migrations', () => {
    const dir = fresh();
    const db = openDatabase(dir, upTo(3));
    expect(db.pragma('user_version', { simple: true })).toBe(3);
    expect(columns(db, 'jobs')).toEqual([
      'id',
      'gateway',
      'type',
      'subtype',
      'status',
      'operation',
      'progress',
      'bytes_done',
      'bytes_total',
      'speed',
      'errors',
      'retries',
      'started_by',
      'owner_pid',
      'started_at',
      'updated_at',
      'finished_at',
      'params',
      'state',
      'result',
      'error',
    ]);
    expect(indexes(db, 'jobs')).toEqual(['jobs_gateway']);
    expect(columns(db, 'job_steps')).toEqual([
      'id',
      'job_id',
      'name',
      'status',
      'started_at',
      'finished_at',
      'details',
    ]);
    expect(indexes(db, 'job_steps')).toEqual(['job_steps_job']);
    expect(columns(db, 'safety_pin')).toEqual([
      'id',
      'salt',
      'hash',
      'failures',
      'lockouts',
      'locked_until',
      'set_at',
    ]);
    expect(columns(db, 'safety_overrides')).toEqual([
      'id',
      'gateway',
      'constraints',
      'reason',
      'operator',
      'created_at',
      'expires_at',
      'revoked_at',
    ]);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'snapshots'").get()).toBe(
      undefined,
    );

    const job = db.prepare(
      "INSERT INTO jobs (id, gateway, type, subtype, status, started_by, started_at, updated_at) VALUES (?, 'gw', 'ota', 'full', 'running', 'cli', 'now', 'now')",
    );
    job.run('job-1');
    job.run('job-2');
    // The defaults a fresh job starts from.
    expect(
      db
        .prepare(
          "SELECT operation, progress, bytes_done, errors, params, state, result FROM jobs WHERE id = 'job-1'",
        )
        .get(),
    ).toEqual({
      operation: 'pending',
      progress: 0,
      bytes_done: 0,
      errors: 0,
      params: '{}',
      state: '{}',
      result: null,
    });
    const step = db.prepare(
      "INSERT INTO job_steps (job_id, name, status, started_at) VALUES (?, 'write', ?, 'now')",
    );
    step.run('job-1', 'done');
    step.run('job-2', 'running');
    expect(() => step.run('job-1', 'paused')).toThrow(/CHECK/);
    expect(() => step.run('no-such-job', 'done')).toThrow(/FOREIGN KEY/);
    db.prepare("DELETE FROM jobs WHERE id = 'job-2'").run();
    expect(db.prepare('SELECT job_id FROM job_steps').all()).toEqual([{ job_id: 'job-1' }]);
    const pin = db.prepare(
      "INSERT INTO safety_pin (id, salt, hash, set_at) VALUES (?, 's', 'h', 'now')",
    );
    pin.run(1);
    expect(() => pin.run(2)).toThrow(/CHECK|UNIQUE|PRIMARY/);
    db.prepare(
      "INSERT INTO safety_overrides VALUES ('ovr-1', 'gw', '[\"crane_motion\"]', 'r', 'op', 'now', 'later', NULL)",
    ).run();
    db.close();

    const later = openDatabase(dir);
    expect(later.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    expect(later.prepare('SELECT id, status FROM jobs').all()).toEqual([
      { id: 'job-1', status: 'running' },
    ]);
    expect(later.prepare('SELECT job_id, name, status FROM job_steps').all()).toEqual([
      { job_id: 'job-1', name: 'write', status: 'done' },
    ]);
    expect(later.prepare('SELECT id, failures FROM safety_pin').get()).toEqual({
      id: 1,
      failures: 0,
    });
    expect(later.prepare('SELECT constraints FROM safety_overrides').get()).toEqual({
      constraints: '["crane_motion"]',
    });
    later.close();
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
});
