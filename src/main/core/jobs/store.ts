import type { RiggerErrorData } from '../../../shared/errors';
import { ACTIVE_STATUSES, type JobStatus } from '../../../shared/jobs';
import type { Database } from '../store/database';
import { nowIso } from '../util/time';

/** One job as stored: the journal a crash or a pulled cable leaves behind (rule 6). */
export interface JobRow {
  id: string;
  gateway: string;
  type: 'update' | 'rollback' | 'snapshot' | 'restore' | 'factory_reset';
  subtype: string;
  status: JobStatus;
  operation: string;
  progress: number;
  bytes_done: number;
  bytes_total: number;
  speed: number;
  errors: number;
  retries: number;
  started_by: string;
  /** The process running the job; a job whose process is gone was interrupted. */
  owner_pid: number | null;
  started_at: string;
  updated_at: string;
  finished_at: string | null;
  params: Record<string, unknown>;
  state: Record<string, unknown>;
  result: Record<string, unknown> | null;
  error: RiggerErrorData | null;
}

export interface StepRow {
  id: number;
  name: string;
  status: 'running' | 'done' | 'failed';
  started_at: string;
  finished_at: string | null;
  details: Record<string, unknown>;
}

type Raw = Omit<JobRow, 'params' | 'state' | 'result' | 'error'> & {
  params: string;
  state: string;
  result: string | null;
  error: string | null;
};

const JSON_COLS = ['params', 'state', 'result', 'error'] as const;
const decode = (r: Raw): JobRow => ({
  ...r,
  params: JSON.parse(r.params) as Record<string, unknown>,
  state: JSON.parse(r.state) as Record<string, unknown>,
  result: r.result === null ? null : (JSON.parse(r.result) as Record<string, unknown>),
  error: r.error === null ? null : (JSON.parse(r.error) as RiggerErrorData),
});

/** The jobs table and its step journal. */
export interface JobStore {
  insert(row: Omit<JobRow, 'updated_at'>): JobRow;
  find(id: string): JobRow | null;
  update(id: string, patch: Partial<Omit<JobRow, 'id'>>): JobRow;
  /** Merge keys into the job's resumable state. */
  mergeState(id: string, state: Record<string, unknown>): JobRow;
  list(filter: { gateway?: string; statuses?: readonly JobStatus[]; limit?: number }): JobRow[];
  activeFor(gateway: string): JobRow | null;
  stepStart(jobId: string, name: string, details?: Record<string, unknown>): number;
  stepEnd(stepId: number, status: 'done' | 'failed', details?: Record<string, unknown>): void;
  steps(jobId: string): StepRow[];
  /**
   * Jobs a crash left in an active status become `interrupted`; returns their ids. Jobs whose
   * process still lives (a CLI flash next to this app) are left alone.
   */
  sweepInterrupted(): string[];
}

/** Does a process with this id still run? (Signal 0 only checks; EPERM means it exists.) */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Is this job being run right now by another live process (so only that one may drive it)? */
export function runByOtherProcess(row: Pick<JobRow, 'owner_pid' | 'status'>): boolean {
  return (
    ACTIVE_STATUSES.includes(row.status) &&
    row.owner_pid !== null &&
    row.owner_pid !== process.pid &&
    alive(row.owner_pid)
  );
}

/** The job store over the database. */
export function createJobStore(db: Database): JobStore {
  const get = db.prepare('SELECT * FROM jobs WHERE id = ?');
  const find = (id: string): JobRow | null => {
    const r = get.get(id) as Raw | undefined;
    return r ? decode(r) : null;
  };
  const activeMarks = ACTIVE_STATUSES.map(() => '?').join(',');
  const store: JobStore = {
    insert(row) {
      const full = { ...row, updated_at: nowIso() };
      const cols = Object.keys(full);
      const values = cols.map((c) => {
        const v = full[c as keyof typeof full];
        return (JSON_COLS as readonly string[]).includes(c) && v !== null ? JSON.stringify(v) : v;
      });
      db.prepare(
        `INSERT INTO jobs (${cols.join(',')}) VALUES (${cols.map(() => '?').join(',')})`,
      ).run(...values);
      return find(row.id)!;
    },
    find,
    update(id, patch) {
      const entries = Object.entries({ ...patch, updated_at: nowIso() });
      const sets = entries.map(([k]) => `${k} = ?`).join(', ');
      const values = entries.map(([k, v]) =>
        (JSON_COLS as readonly string[]).includes(k) && v !== null ? JSON.stringify(v) : v,
      );
      db.prepare(`UPDATE jobs SET ${sets} WHERE id = ?`).run(...values, id);
      return find(id)!;
    },
    mergeState(id, state) {
      const cur = find(id)!;
      return store.update(id, { state: { ...cur.state, ...state } });
    },
    list({ gateway, statuses, limit }) {
      const where: string[] = [];
      const args: unknown[] = [];
      if (gateway) {
        where.push('gateway = ? COLLATE NOCASE');
        args.push(gateway);
      }
      if (statuses) {
        where.push(`status IN (${statuses.map(() => '?').join(',')})`);
        args.push(...statuses);
      }
      const sql = `SELECT * FROM jobs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY started_at DESC, rowid DESC LIMIT ?`;
      return (db.prepare(sql).all(...args, limit ?? 1000) as Raw[]).map(decode);
    },
    activeFor(gateway) {
      const r = db
        .prepare(
          `SELECT * FROM jobs WHERE gateway = ? COLLATE NOCASE AND status IN (${activeMarks}) LIMIT 1`,
        )
        .get(gateway, ...ACTIVE_STATUSES) as Raw | undefined;
      return r ? decode(r) : null;
    },
    stepStart(jobId, name, details = {}) {
      const r = db
        .prepare(
          "INSERT INTO job_steps (job_id, name, status, started_at, details) VALUES (?, ?, 'running', ?, ?)",
        )
        .run(jobId, name, nowIso(), JSON.stringify(details));
      return Number(r.lastInsertRowid);
    },
    stepEnd(stepId, status, details = {}) {
      db.prepare(
        'UPDATE job_steps SET status = ?, finished_at = ?, details = json_patch(details, ?) WHERE id = ?',
      ).run(status, nowIso(), JSON.stringify(details), stepId);
    },
    steps(jobId) {
      return (
        db.prepare('SELECT * FROM job_steps WHERE job_id = ? ORDER BY id').all(jobId) as Array<
          Omit<StepRow, 'details'> & { details: string }
        >
      ).map((s) => ({ ...s, details: JSON.parse(s.details) as Record<string, unknown> }));
    },
    sweepInterrupted() {
      const ids = (
        db
          .prepare(`SELECT id, owner_pid FROM jobs WHERE status IN (${activeMarks})`)
          .all(...ACTIVE_STATUSES) as Array<{ id: string; owner_pid: number | null }>
      )
        .filter((r) => r.owner_pid === null || r.owner_pid === process.pid || !alive(r.owner_pid))
        .map((r) => r.id);
      for (const id of ids) {
        store.update(id, { status: 'interrupted' });
        db.prepare(
          "UPDATE job_steps SET status = 'failed', finished_at = ?, details = json_patch(details, ?) WHERE job_id = ? AND status = 'running'",
        ).run(nowIso(), JSON.stringify({ interrupted: true }), id);
      }
      return ids;
    },
  };
  return store;
}
