import { randomBytes } from 'node:crypto';
import type { RiggerEvent } from '../../../shared/events';
import { RiggerError, toErrorData } from '../../../shared/errors';
import type { JobStatus } from '../../../shared/jobs';
import { seedClock } from '../../../shared/format/time';
import { progressDetails } from '../../../shared/progress-details';
import type { CoreEvents } from '../events';
import { nowIso } from '../util/time';
import { completeDetails } from './complete-details';
import { remainingSeconds } from './estimate';
import type { JobRow, JobStore } from './store';

/** What a running job's code may do: journal steps, report progress, keep resumable state. */
export interface JobContext {
  readonly id: string;
  readonly signal: AbortSignal;
  row(): JobRow;
  /** Run one step, journaled before and after it (GATEWAY-CONTRACT rule 6). */
  step<T>(name: string, fn: () => Promise<T>, details?: Record<string, unknown>): Promise<T>;
  setStatus(status: JobStatus, operation: string): void;
  /** Report progress; `extra` rides in the event's details (a stalled link, its retries). */
  progress(
    bytesDone: number,
    bytesTotal: number,
    speed: number,
    percent?: number,
    extra?: Record<string, unknown>,
  ): void;
  state(patch: Record<string, unknown>): void;
  count(field: 'errors' | 'retries'): void;
}

export type JobBody = (
  ctx: JobContext,
) => Promise<{ message: string; result: Record<string, unknown> }>;

/** The events this service emits on the core's bus. */
export type JobEngineEvent = Extract<
  RiggerEvent,
  { type: 'progress_update' | 'status_change' | 'job_complete' }
>;

/**
 * The persistent job engine: long work (a write, a snapshot, a restore) as a row in SQLite with
 * its steps, run in the background, one writing job per gateway.
 *
 * Emits on the core's events: `progress_update` (throttled), `status_change` (a job's status
 * moved, or a write is `downloaded`), `job_complete` (success, failed, cancelled).
 */
export interface JobEngine {
  /** The jobs' rows and their journaled steps. */
  readonly store: JobStore;
  /** Refuse a second writing job on a gateway (OTA_001); `except` is the job asking. */
  assertFree(gateway: string, except?: string): void;
  /** Create a job row (refusing a second write job on the gateway). */
  create(
    input: Pick<JobRow, 'gateway' | 'type' | 'subtype' | 'started_by' | 'params'> & {
      state?: Record<string, unknown>;
    },
  ): JobRow;
  /** Run a job's body in the background. `keepOpen`: success leaves it at `downloaded`. */
  run(id: string, body: JobBody, opts?: { keepOpen?: boolean }): Promise<void>;
  /** Is the job's body running in this process now? */
  isRunning(id: string): boolean;
  /** The jobs running in this process now (what closing the app would interrupt). */
  running(): JobRow[];
  /** Ask a running job to stop; resolves when its body has returned. */
  abort(id: string): Promise<boolean>;
  /** Resolves when the job's body (if it runs here) has returned. */
  wait(id: string): Promise<void>;
  /** End a job: its final status, announced with `job_complete`. */
  finish(
    id: string,
    status: 'success' | 'failed' | 'cancelled',
    message: string,
    extra: Partial<JobRow>,
  ): void;
  /** Stop every running job as interrupted (resumable), for closing the app. */
  closeAll(): Promise<void>;
}

const EVENT_INTERVAL_MS = 200;
const DB_INTERVAL_MS = 500;

/** Runs jobs in the background, one writing job per gateway, with events and a journal. */
export function createJobEngine(store: JobStore, events: CoreEvents): JobEngine {
  const running = new Map<string, { abort: AbortController; done: Promise<void> }>();
  // Set while the app shuts down: stopped jobs are then interrupted (resumable), not cancelled.
  let closing = false;

  const newId = () => `OTA-JOB-${randomBytes(3).toString('hex').toUpperCase()}`;

  /** Refuse a second writing job on a gateway (OTA_001). */
  const assertFree = (gateway: string, except?: string) => {
    const other = store.activeFor(gateway);
    const busy = other && other.id !== except ? other : null;
    const mem = [...running.keys()].find(
      (id) => id !== except && store.find(id)?.gateway === gateway,
    );
    if (busy || mem) {
      const id = busy?.id ?? mem!;
      throw new RiggerError(
        'OTA_001',
        `Gateway "${gateway}" already has update job ${id} running`,
        { gateway, job_id: id },
        ['Wait for the job to finish', `Cancel it with: rigger jobs cancel ${id}`],
      );
    }
  };

  const contextFor = (id: string, abort: AbortController): JobContext => {
    let lastEvent = 0;
    let lastDb = 0;
    return {
      id,
      signal: abort.signal,
      row: () => store.find(id)!,
      async step(name, fn, details = {}) {
        const stepId = store.stepStart(id, name, details);
        try {
          const out = await fn();
          store.stepEnd(stepId, 'done');
          return out;
        } catch (err) {
          store.stepEnd(stepId, 'failed', { error: toErrorData(err) });
          throw err;
        }
      },
      setStatus(status, operation) {
        const before = store.find(id)!;
        store.update(id, { status, operation });
        // A new step within a status (installing: safety check → bootloader) is news too.
        if (before.status !== status || before.operation !== operation) {
          events.emit({
            type: 'status_change',
            job_id: id,
            system_status: status,
            message: `Job ${id}: ${operation.replace(/_/g, ' ')}`,
            severity: status === 'paused_safety' ? 'warning' : 'info',
            timestamp: nowIso(),
            gateway: before.gateway,
          });
        }
      },
      progress(bytesDone, bytesTotal, speed, percent, extra) {
        const now = Date.now();
        const pct = percent ?? (bytesTotal > 0 ? (100 * bytesDone) / bytesTotal : 0);
        const final = bytesDone >= bytesTotal;
        if (final || now - lastDb >= DB_INTERVAL_MS) {
          lastDb = now;
          store.update(id, {
            bytes_done: bytesDone,
            bytes_total: bytesTotal,
            speed,
            progress: pct,
          });
        }
        // A stall report is news even right after a progress event: it must not be dropped.
        const urgent = !!extra && ('stalled_seconds' in extra || 'link_retry' in extra);
        if (!final && !urgent && now - lastEvent < EVENT_INTERVAL_MS) return;
        lastEvent = now;
        const row = store.find(id)!;
        // Before a speed is measured, the estimate made at the start counts down.
        const eta = remainingSeconds({
          ...row,
          bytes_done: bytesDone,
          bytes_total: bytesTotal,
          speed,
        });
        events.emit({
          type: 'progress_update',
          job_id: id,
          progress: Math.round(pct * 10) / 10,
          current_operation: row.operation,
          eta: eta === null ? null : seedClock(eta),
          details: {
            gateway: row.gateway,
            ...progressDetails(bytesDone, bytesTotal, speed),
            elapsed: seedClock((now - Date.parse(row.started_at)) / 1000),
            ...extra,
          },
        });
      },
      state(patch) {
        store.mergeState(id, patch);
      },
      count(field) {
        const row = store.find(id)!;
        store.update(id, { [field]: row[field] + 1 });
      },
    };
  };

  const finish = (
    id: string,
    status: 'success' | 'failed' | 'cancelled',
    message: string,
    extra: Partial<JobRow>,
  ) => {
    const row = store.update(id, { status, finished_at: nowIso(), ...extra });
    events.emit({
      type: 'job_complete',
      job_id: id,
      status,
      message,
      details: completeDetails(row, extra),
    });
  };

  return {
    store,
    assertFree,
    create(input) {
      assertFree(input.gateway);
      const now = nowIso();
      return store.insert({
        id: newId(),
        gateway: input.gateway,
        type: input.type,
        subtype: input.subtype,
        status: 'pending',
        operation: 'pending',
        progress: 0,
        bytes_done: 0,
        bytes_total: 0,
        speed: 0,
        errors: 0,
        retries: 0,
        started_by: input.started_by,
        owner_pid: process.pid,
        started_at: now,
        finished_at: null,
        params: input.params,
        state: input.state ?? {},
        result: null,
        error: null,
      });
    },
    run(id, body, opts = {}) {
      const row = store.find(id)!;
      assertFree(row.gateway, id);
      store.update(id, { owner_pid: process.pid }); // a resumed job belongs to this process now
      const abort = new AbortController();
      const ctx = contextFor(id, abort);
      const done = (async () => {
        try {
          const out = await body(ctx);
          if (opts.keepOpen) {
            store.update(id, {
              status: 'downloaded',
              operation: 'ready_to_install',
              result: out.result,
            });
            events.emit({
              type: 'status_change',
              system_status: 'downloaded',
              job_id: id,
              message: out.message,
              severity: 'info',
              timestamp: nowIso(),
              gateway: row.gateway,
            });
          } else finish(id, 'success', out.message, { result: out.result, operation: 'completed' });
        } catch (err) {
          const data = toErrorData(err);
          if (closing) store.update(id, { status: 'interrupted' });
          else if (abort.signal.aborted)
            finish(id, 'cancelled', 'Job cancelled', { operation: 'cancelled', error: data });
          else finish(id, 'failed', data.message, { error: data, operation: 'failed' });
        } finally {
          running.delete(id);
        }
      })();
      running.set(id, { abort, done });
      return done;
    },
    isRunning: (id) => running.has(id),
    running: () => [...running.keys()].map((id) => store.find(id)).filter((r): r is JobRow => !!r),
    async abort(id) {
      const r = running.get(id);
      if (!r) return false;
      r.abort.abort();
      await r.done;
      return true;
    },
    wait: async (id) => running.get(id)?.done,
    finish,
    async closeAll() {
      closing = true;
      for (const r of running.values()) r.abort.abort();
      await Promise.allSettled([...running.values()].map((r) => r.done));
    },
  };
}
