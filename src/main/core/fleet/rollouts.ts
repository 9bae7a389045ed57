import { RiggerError } from '../../../shared/errors';
import { rolloutRefSchema, type Rollout } from '../../../shared/fleet-ota';
import { parseOrThrow } from '../../../shared/validation';
import type { Database } from '../store/database';
import { prepareRollout, type RolloutCandidate } from './rollouts-create';
import { rolloutActions } from './rollouts-actions';
import { judgeWave } from './rollouts-plan';
import {
  postpones,
  reasonOf,
  type UpdateOutcome,
  type UpdatePort,
  type WindowOf,
} from './rollouts-port';
import { createRolloutStore, type TargetRow } from './rollouts-store';

export interface RolloutEngineDeps {
  db: Database;
  port: UpdatePort;
  /** The library's image for a version of a device type, or null when it is not there. */
  findImage: (deviceType: string, version: string) => string | null;
  /** The devices of a type a rollout may take (the device registry's, with their gateways). */
  candidates: (deviceType: string) => RolloutCandidate[];
  windowOf?: WindowOf;
  /** How long a postponed gateway waits before it is tried again. */
  postponeMs?: number;
  /** How often the engine looks at its rollouts when `start` runs it on a timer. */
  tickMs?: number;
  now?: () => number;
  /** A rollout changed (for the WebSocket and the Fleet page). */
  emit?: (r: Rollout) => void;
  /** A device's update ended (the registry marks an error, the history records it). */
  onTarget?: (
    deviceId: string,
    outcome: UpdateOutcome,
    reason: string | null,
    version: string,
  ) => void;
}

export interface RolloutEngine {
  create(input: unknown): Rollout;
  get(input: unknown): Rollout;
  list(): Rollout[];
  pause(input: unknown): Rollout;
  resume(input: unknown): Rollout;
  cancel(input: unknown): Rollout;
  skip(input: unknown): Rollout;
  /** Start what may start now and judge the waves; resolves when that is written. */
  tick(): Promise<void>;
  /** Tick until nothing runs and nothing can start before the clock moves (tests, the CLI). */
  settle(): Promise<void>;
  /** Run `tick` on a timer. */
  start(): void;
  stop(): Promise<void>;
}

const ACTIVE = ['scheduled', 'running', 'paused'] as const;

/**
 * Batch updates in waves with hawkBit's gates. The state lives in SQLite and every decision is
 * written before it is acted on: a new engine over the same database picks up where the last
 * one stopped, waiting again for the jobs it had started.
 */
export function createRolloutEngine(d: RolloutEngineDeps): RolloutEngine {
  const now = d.now ?? Date.now;
  const postponeMs = d.postponeMs ?? 5 * 60_000;
  const store = createRolloutStore(d.db, () => new Date(now()).toISOString());
  const inflight = new Map<string, Promise<void>>();
  let timer: NodeJS.Timeout | null = null;
  let ticking: Promise<void> | null = null;

  const view = (id: string): Rollout => {
    const r = store.view(id);
    if (!r)
      throw new RiggerError('NOT_FOUND', `No rollout ${id}`, { rollout_id: id }, [
        'List rollouts with `rigger rollout status`',
      ]);
    return r;
  };
  const changed = (id: string) => d.emit?.(view(id));
  const key = (t: TargetRow) => `${t.rollout_id}/${t.device_id}`;

  const finish = (t: TargetRow, outcome: UpdateOutcome, reason: string | null) => {
    const status = outcome === 'cancelled' ? 'failed' : outcome;
    store.setTarget(t.rollout_id, t.device_id, {
      status,
      reason: outcome === 'cancelled' ? (reason ?? 'the job was cancelled') : reason,
      not_before: outcome === 'postponed' ? now() + postponeMs : 0,
    });
    const row = store.row(t.rollout_id);
    if (row) d.onTarget?.(t.device_id, outcome, reason, store.spec(row).target_version);
  };
  const follow = (t: TargetRow, jobId: string) => {
    const p = d.port
      .wait(jobId)
      .then(
        (r) => (typeof r === 'string' ? { outcome: r, reason: undefined } : r),
        (err: unknown) => ({ outcome: 'failed' as const, reason: reasonOf(err) }),
      )
      .then((r) => finish(t, r.outcome, r.reason ?? null))
      .finally(() => {
        inflight.delete(key(t));
        changed(t.rollout_id);
      });
    inflight.set(key(t), p);
  };
  const launch = async (t: TargetRow, imageId: string) => {
    const w = t.gateway ? d.windowOf?.(t.gateway) : undefined;
    if (w && !w.open) {
      const opens = w.opens_at ? Date.parse(w.opens_at) : NaN;
      store.setTarget(t.rollout_id, t.device_id, {
        status: 'postponed',
        reason: `OTA_015: the maintenance window of ${t.gateway} is closed (opens ${w.opens_at ?? 'at no set time'})`,
        not_before: Number.isFinite(opens) ? opens : now() + postponeMs,
      });
      return;
    }
    inflight.set(key(t), Promise.resolve());
    store.setTarget(t.rollout_id, t.device_id, {
      status: 'running',
      attempts: t.attempts + 1,
      reason: null,
    });
    try {
      const jobId = await d.port.start(t.gateway!, imageId);
      store.setTarget(t.rollout_id, t.device_id, { job_id: jobId });
      follow(t, jobId);
    } catch (err) {
      inflight.delete(key(t));
      finish(t, postpones(err) ? 'postponed' : 'failed', reasonOf(err));
    }
  };

  /** One rollout: start what may start, then judge its open waves in order. */
  const advance = async (id: string) => {
    const row = store.row(id)!;
    const spec = store.spec(row);
    if (row.status === 'scheduled') {
      if (spec.schedule && Date.parse(spec.schedule) > now()) return;
      store.setStatus(id, 'running');
      store.setWave(id, 0, 'running');
    } else if (row.status !== 'running') return;
    const waves = store.waves(id);
    const live = new Set(
      waves.filter((w) => w.status === 'running' || w.status === 'done').map((w) => w.idx),
    );
    for (const t of store.targets(id)) {
      const due = t.status === 'waiting' || (t.status === 'postponed' && t.not_before <= now());
      if (live.has(t.wave) && due && !inflight.has(key(t))) await launch(t, row.image_id);
    }
    const targets = store.targets(id);
    for (const w of waves.filter((x) => x.status === 'running')) {
      const verdict = judgeWave(
        targets.filter((t) => t.wave === w.idx).map((t) => t.status),
        spec,
      );
      if (verdict === 'open') continue;
      if (verdict === 'done') {
        store.setWave(id, w.idx, 'done');
        const next = waves.find((x) => x.idx === w.idx + 1);
        if (next) {
          store.setWave(id, next.idx, 'running');
          return advance(id);
        }
        continue;
      }
      store.setWave(id, w.idx, 'failed');
      const failed = targets
        .filter((t) => t.wave === w.idx && t.status === 'failed')
        .map((t) => t.device_id);
      store.setStatus(
        id,
        'paused',
        verdict === 'failed'
          ? `Wave ${w.idx + 1}: ${failed.length} failed (${failed.join(', ')}), above the error threshold of ${spec.error_threshold}%`
          : `Wave ${w.idx + 1}: fewer than ${spec.success_threshold}% succeeded`,
      );
      return;
    }
    const after = store.waves(id);
    const open = store
      .targets(id)
      .some((t) => ['waiting', 'running', 'postponed'].includes(t.status));
    if (after.every((w) => w.status === 'done') && !open) store.setStatus(id, 'finished');
  };

  const tick = async () => {
    if (ticking) return ticking;
    ticking = (async () => {
      for (const id of store.ids(['scheduled', 'running'])) {
        const before = JSON.stringify(store.view(id));
        await advance(id);
        if (JSON.stringify(store.view(id)) !== before) changed(id);
      }
    })().finally(() => {
      ticking = null;
    });
    return ticking;
  };

  // A restart: follow again the jobs that were running; a start that never got its job id is retried.
  for (const id of store.ids(ACTIVE))
    for (const t of store.targets(id))
      if (t.status === 'running') {
        if (t.job_id) follow(t, t.job_id);
        else store.setTarget(id, t.device_id, { status: 'waiting' });
      }

  return {
    create(input) {
      const p = prepareRollout(input, d);
      const later = p.spec.schedule && Date.parse(p.spec.schedule) > now();
      const id = store.insert(p.spec, p.imageId, later ? 'scheduled' : 'running', p.waves);
      if (!later) store.setWave(id, 0, 'running');
      void tick();
      changed(id);
      return view(id);
    },
    get: (input) => view(parseOrThrow(rolloutRefSchema, input, 'Rollout').rollout_id),
    list: () => store.ids().map(view),
    ...rolloutActions({ store, view, changed, tick }),
    tick,
    async settle() {
      const state = () => JSON.stringify(store.ids().map((id) => store.view(id)));
      for (;;) {
        const before = state();
        await tick();
        if (inflight.size) await Promise.allSettled([...inflight.values()]);
        else if (state() === before) return;
      }
    },
    start() {
      timer ??= setInterval(() => void tick(), d.tickMs ?? 2000);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await ticking;
    },
  };
}
