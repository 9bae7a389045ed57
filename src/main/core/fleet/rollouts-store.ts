import { randomUUID } from 'node:crypto';
import type {
  BatchUpdate,
  Rollout,
  RolloutStatus,
  TargetStatus,
  WaveStatus,
} from '../../../shared/fleet-ota';
import type { Database } from '../store/database';

export interface RolloutRow {
  id: string;
  spec: string;
  image_id: string;
  status: RolloutStatus;
  paused_reason: string | null;
  created_at: string;
  updated_at: string;
}

export interface TargetRow {
  rollout_id: string;
  wave: number;
  device_id: string;
  gateway: string | null;
  status: TargetStatus;
  job_id: string | null;
  reason: string | null;
  attempts: number;
  not_before: number;
  updated_at: string;
}

export type TargetChange = Partial<
  Pick<TargetRow, 'status' | 'job_id' | 'reason' | 'attempts' | 'not_before'>
>;

/** Rollouts, their waves and targets as rows: every change is written before it is acted on. */
export function createRolloutStore(db: Database, iso: () => string) {
  const spec = (r: RolloutRow) => JSON.parse(r.spec) as BatchUpdate;
  const store = {
    insert(
      s: BatchUpdate,
      imageId: string,
      status: RolloutStatus,
      waves: Array<Array<{ device_id: string; gateway: string | null }>>,
    ): string {
      const id = `ro_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
      const at = iso();
      db.transaction(() => {
        db.prepare(
          `INSERT INTO rollouts (id, spec, image_id, status, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?)`,
        ).run(id, JSON.stringify(s), imageId, status, at, at);
        waves.forEach((targets, idx) => {
          db.prepare('INSERT INTO rollout_waves (rollout_id, idx, status) VALUES (?, ?, ?)').run(
            id,
            idx,
            'waiting',
          );
          for (const t of targets)
            db.prepare(
              `INSERT INTO rollout_targets (rollout_id, wave, device_id, gateway, status, updated_at)
               VALUES (?, ?, ?, ?, 'waiting', ?)`,
            ).run(id, idx, t.device_id, t.gateway, at);
        });
      })();
      return id;
    },
    row: (id: string) =>
      db.prepare('SELECT * FROM rollouts WHERE id = ?').get(id) as RolloutRow | undefined,
    spec,
    ids(statuses?: readonly RolloutStatus[]): string[] {
      const rows = db
        .prepare('SELECT id, status FROM rollouts ORDER BY created_at, id')
        .all() as Array<{ id: string; status: RolloutStatus }>;
      return rows.filter((r) => !statuses || statuses.includes(r.status)).map((r) => r.id);
    },
    setStatus(id: string, status: RolloutStatus, reason: string | null = null) {
      db.prepare(
        'UPDATE rollouts SET status = ?, paused_reason = ?, updated_at = ? WHERE id = ?',
      ).run(status, reason, iso(), id);
    },
    waves: (id: string) =>
      db
        .prepare('SELECT idx, status FROM rollout_waves WHERE rollout_id = ? ORDER BY idx')
        .all(id) as Array<{ idx: number; status: WaveStatus }>,
    setWave(id: string, idx: number, status: WaveStatus) {
      db.prepare('UPDATE rollout_waves SET status = ? WHERE rollout_id = ? AND idx = ?').run(
        status,
        id,
        idx,
      );
    },
    targets: (id: string) =>
      db
        .prepare('SELECT * FROM rollout_targets WHERE rollout_id = ? ORDER BY wave, device_id')
        .all(id) as TargetRow[],
    target: (id: string, deviceId: string) =>
      db
        .prepare('SELECT * FROM rollout_targets WHERE rollout_id = ? AND device_id = ?')
        .get(id, deviceId) as TargetRow | undefined,
    setTarget(id: string, deviceId: string, c: TargetChange) {
      const t = store.target(id, deviceId);
      if (!t) return;
      const n = { ...t, ...c };
      db.prepare(
        `UPDATE rollout_targets SET status = ?, job_id = ?, reason = ?, attempts = ?, not_before = ?,
           updated_at = ? WHERE rollout_id = ? AND device_id = ?`,
      ).run(n.status, n.job_id, n.reason, n.attempts, n.not_before, iso(), id, deviceId);
    },
    /** The rollout in the shape the API answers with. */
    view(id: string): Rollout | null {
      const r = store.row(id);
      if (!r) return null;
      const s = spec(r);
      const targets = store.targets(id);
      return {
        rollout_id: r.id,
        device_type: s.device_type,
        target_version: s.target_version,
        image_id: r.image_id,
        rollout_percentage: s.rollout_percentage,
        schedule: s.schedule ?? null,
        success_threshold: s.success_threshold,
        error_threshold: s.error_threshold,
        status: r.status,
        paused_reason: r.paused_reason,
        created_at: r.created_at,
        updated_at: r.updated_at,
        waves: store.waves(id).map((w) => ({
          index: w.idx,
          status: w.status,
          targets: targets
            .filter((t) => t.wave === w.idx)
            .map((t) => ({
              device_id: t.device_id,
              gateway: t.gateway,
              status: t.status,
              job_id: t.job_id,
              reason: t.reason,
              attempts: t.attempts,
              updated_at: t.updated_at,
            })),
        })),
      };
    },
  };
  return store;
}
export type RolloutStore = ReturnType<typeof createRolloutStore>;
