import { RiggerError } from '../../../shared/errors';
import { rolloutRefSchema, rolloutSkipSchema, type Rollout } from '../../../shared/fleet-ota';
import { parseOrThrow } from '../../../shared/validation';
import { judgeWave } from './rollouts-plan';
import type { RolloutStore } from './rollouts-store';

const ACTIVE = ['scheduled', 'running', 'paused'] as const;

/** What a technician does to a rollout: pause, resume, cancel, skip a device (hawkBit's actions). */
export function rolloutActions(a: {
  store: RolloutStore;
  view: (id: string) => Rollout;
  changed: (id: string) => void;
  tick: () => Promise<void>;
}) {
  const { store, view, changed, tick } = a;
  const ref = (input: unknown) => parseOrThrow(rolloutRefSchema, input, 'Rollout').rollout_id;
  const must = (id: string, allowed: readonly string[], what: string) => {
    const r = view(id);
    if (!allowed.includes(r.status))
      throw new RiggerError(
        'VALIDATION_ERROR',
        `Rollout ${id} is ${r.status}: it cannot be ${what}`,
        {
          rollout_id: id,
          status: r.status,
        },
      );
    return r;
  };
  const done = (id: string) => {
    changed(id);
    return view(id);
  };

  return {
    pause(input: unknown): Rollout {
      const id = ref(input);
      must(id, ['scheduled', 'running'], 'paused');
      store.setStatus(id, 'paused', 'Paused by the technician');
      return done(id);
    },
    resume(input: unknown): Rollout {
      const id = ref(input);
      must(id, ['paused'], 'resumed');
      // Resuming after a failed wave is the technician accepting it: the next wave may start.
      for (const w of store.waves(id)) if (w.status === 'failed') store.setWave(id, w.idx, 'done');
      const waves = store.waves(id);
      if (!waves.some((w) => w.status === 'running')) {
        const next = waves.find((w) => w.status === 'waiting');
        if (next && waves.some((w) => w.status === 'done')) store.setWave(id, next.idx, 'running');
      }
      const spec = store.spec(store.row(id)!);
      const started = waves.some((w) => w.status !== 'waiting');
      store.setStatus(id, started || !spec.schedule ? 'running' : 'scheduled');
      void tick();
      return done(id);
    },
    cancel(input: unknown): Rollout {
      const id = ref(input);
      must(id, ACTIVE, 'cancelled');
      // Jobs already running finish on their own: stopping a gateway mid-switch is worse.
      for (const t of store.targets(id))
        if (t.status === 'waiting' || t.status === 'postponed')
          store.setTarget(id, t.device_id, { status: 'cancelled', reason: 'rollout cancelled' });
      const spec = store.spec(store.row(id)!);
      const targets = store.targets(id);
      for (const w of store.waves(id)) {
        const mine = targets.filter((t) => t.wave === w.idx).map((t) => t.status);
        // A wave that had already made it keeps its success; only what never ran is cancelled.
        if (w.status === 'running' && judgeWave(mine, spec) === 'done')
          store.setWave(id, w.idx, 'done');
        else if (w.status === 'waiting' || w.status === 'running')
          store.setWave(id, w.idx, 'cancelled');
      }
      store.setStatus(id, 'cancelled');
      return done(id);
    },
    skip(input: unknown): Rollout {
      const { rollout_id: id, device_id } = parseOrThrow(rolloutSkipSchema, input, 'Skip');
      must(id, ACTIVE, 'changed');
      const t = store.target(id, device_id);
      if (!t)
        throw new RiggerError('NOT_FOUND', `Device ${device_id} is not in rollout ${id}`, {
          device_id,
        });
      if (t.status !== 'waiting' && t.status !== 'postponed')
        throw new RiggerError(
          'VALIDATION_ERROR',
          `Device ${device_id} is ${t.status}: only a waiting or postponed device can be skipped`,
          { device_id, status: t.status },
        );
      store.setTarget(id, device_id, { status: 'skipped', reason: 'skipped by the technician' });
      void tick();
      return done(id);
    },
  };
}
