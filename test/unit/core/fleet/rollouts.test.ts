import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRolloutEngine } from '../../../../src/main/core/fleet/rollouts';
import type { UpdatePort, WindowOf } from '../../../../src/main/core/fleet/rollouts-port';
import { openDatabase } from '../../../../src/main/core/store/database';
import type { Database } from '../../../../src/main/core/store/database';
import type { Rollout } from '../../../../src/shared/fleet-ota';
import { scriptedPort } from './rollout-port';

const T0 = Date.parse('2026-11-01T10:00:00Z');
const gws = (n: number) => Array.from({ length: n }, (_, i) => `gw-${i + 1}`);

function engine(
  port: UpdatePort,
  o: { db?: Database; n?: number; windowOf?: WindowOf; clock?: { now: number } } = {},
) {
  const db = o.db ?? openDatabase(mkdtempSync(join(tmpdir(), 'rigger-ro-')));
  const clock = o.clock ?? { now: T0 };
  const e = createRolloutEngine({
    db,
    port,
    findImage: (type, v) => (type === 'crane_gateway' && v === '5.1.0' ? 'img-5.1.0' : null),
    candidates: () =>
      gws(o.n ?? 5).map((g) => ({ device_id: g, gateway: g, decommissioned: false })),
    windowOf: o.windowOf,
    postponeMs: 60_000,
    now: () => clock.now,
  });
  return { e, db, clock };
}
const batch = (extra: object = {}) => ({
  device_type: 'crane_gateway',
  target_version: '5.1.0',
  rollout_percentage: 20,
  groups: 2,
  ...extra,
});
const ref = (r: Rollout) => ({ rollout_id: r.rollout_id });
const states = (r: Rollout) =>
  r.waves.map((w) => `${w.status}:${w.targets.map((t) => t.status).join(',')}`);

describe('rollout engine', () => {
  it('splits into waves and starts each only after the one before succeeded', async () => {
    const port = scriptedPort({});
    port.hold('gw-1');
    const { e } = engine(port);
    const r = e.create(batch());
    expect(r.waves.map((w) => w.targets.map((t) => t.device_id))).toEqual([
      ['gw-1'],
      ['gw-2', 'gw-3'],
      ['gw-4', 'gw-5'],
    ]);
    await e.tick();
    expect(port.started).toEqual(['gw-1']);
    expect(states(e.get(ref(r)))).toEqual([
      'running:running',
      'waiting:waiting,waiting',
      'waiting:waiting,waiting',
    ]);
    port.release('gw-1');
    await e.settle();
    expect(port.started).toEqual(gws(5));
    const end = e.get(ref(r));
    expect(end.status).toBe('finished');
    expect(states(end)).toEqual(['done:success', 'done:success,success', 'done:success,success']);
  });

  it('pauses at the error threshold and goes on when resumed', async () => {
    const port = scriptedPort({ 'gw-3': ['failed'] });
    const { e } = engine(port);
    const r = e.create(batch());
    await e.settle();
    let now = e.get(ref(r));
    expect(now.status).toBe('paused');
    expect(now.paused_reason).toContain('gw-3');
    expect(states(now)).toEqual([
      'done:success',
      'failed:success,failed',
      'waiting:waiting,waiting',
    ]);
    expect(port.started).toEqual(['gw-1', 'gw-2', 'gw-3']);
    e.resume(ref(r));
    await e.settle();
    now = e.get(ref(r));
    expect(now.status).toBe('finished');
    expect(port.started).toEqual(gws(5));
  });

  it('goes on when the failures stay within the error threshold', async () => {
    const port = scriptedPort({ 'gw-2': ['failed'] });
    const { e } = engine(port);
    const r = e.create(batch({ success_threshold: 50, error_threshold: 50 }));
    await e.settle();
    expect(e.get(ref(r)).status).toBe('finished');
    expect(port.started).toEqual(gws(5));
  });

  it('pauses when every device of a wave ended and too few succeeded', async () => {
    const port = scriptedPort({ 'gw-2': ['failed'] });
    const { e } = engine(port);
    const r = e.create(batch({ error_threshold: 50 }));
    await e.settle();
    expect(e.get(ref(r))).toMatchObject({
      status: 'paused',
      paused_reason: expect.stringContaining('fewer than 100%'),
    });
  });

  it('a crane in motion postpones its gateway: the rollout waits, then goes on', async () => {
    const port = scriptedPort({ 'gw-1': ['throw:OTA_002', 'throw:OTA_002'] });
    const { e, clock } = engine(port);
    const r = e.create(batch());
    await e.settle();
    let now = e.get(ref(r));
    expect(now.status).toBe('running');
    expect(now.waves[0]!.targets[0]).toMatchObject({
      status: 'postponed',
      reason: expect.stringContaining('OTA_002'),
    });
    expect(port.started).toEqual([]);
    clock.now += 60_000;
    await e.settle();
    expect(e.get(ref(r)).waves[0]!.targets[0]!.status).toBe('postponed');
    clock.now += 60_000;
    await e.settle();
    now = e.get(ref(r));
    expect(now.status).toBe('finished');
    expect(now.waves[0]!.targets[0]!.attempts).toBe(3);
  });

  it('with a success threshold below 100 the next wave starts while a postponed gateway waits', async () => {
    const port = scriptedPort({ 'gw-2': ['throw:OTA_002'] });
    const { e, clock } = engine(port, { n: 3 });
    const r = e.create(batch({ rollout_percentage: 60, groups: 1, success_threshold: 50 }));
    await e.settle();
    let now = e.get(ref(r));
    expect(states(now)).toEqual(['done:success,postponed', 'done:success']);
    expect(now.status).toBe('running');
    clock.now += 60_000;
    await e.settle();
    now = e.get(ref(r));
    expect(now.status).toBe('finished');
    expect(port.started).toEqual(['gw-1', 'gw-3', 'gw-2']);
  });

  it("honours each gateway's maintenance window", async () => {
    const opens = new Date(T0 + 3_600_000).toISOString();
    const clock = { now: T0 };
    const windowOf: WindowOf = (gw) =>
      gw === 'gw-1' && clock.now < T0 + 3_600_000
        ? { open: false, opens_at: opens }
        : { open: true, opens_at: null };
    const port = scriptedPort({});
    const { e } = engine(port, { windowOf, clock, n: 2 });
    const r = e.create(batch({ rollout_percentage: 50 }));
    await e.settle();
    expect(e.get(ref(r)).waves[0]!.targets[0]).toMatchObject({
      status: 'postponed',
      reason: expect.stringContaining('OTA_015'),
    });
    clock.now = T0 + 3_600_000;
    await e.settle();
    expect(e.get(ref(r)).status).toBe('finished');
    expect(port.started).toEqual(['gw-1', 'gw-2']);
  });

  it('skips a device, pauses, cancels', async () => {
    const port = scriptedPort({ 'gw-1': ['throw:OTA_015'] });
    const { e } = engine(port);
    const r = e.create(batch());
    await e.settle();
    e.skip({ rollout_id: r.rollout_id, device_id: 'gw-1' });
    port.hold('gw-2');
    await e.tick();
    expect(port.started).toEqual(['gw-2', 'gw-3']);
    e.pause(ref(r));
    port.release('gw-2');
    await e.settle();
    let now = e.get(ref(r));
    expect(now.status).toBe('paused');
    expect(states(now)[2]).toBe('waiting:waiting,waiting');
    expect(() => e.skip({ rollout_id: r.rollout_id, device_id: 'gw-2' })).toThrow(
      /only a waiting or postponed/,
    );
    now = e.cancel(ref(r));
    expect(now.status).toBe('cancelled');
    expect(states(now)).toEqual([
      'done:skipped',
      'done:success,success',
      'cancelled:cancelled,cancelled',
    ]);
    expect(() => e.resume(ref(r))).toThrow(expect.objectContaining({ code: 'VALIDATION_ERROR' }));
  });

  it('waits for the schedule', async () => {
    const port = scriptedPort({});
    const { e, clock } = engine(port, { n: 1 });
    const r = e.create(batch({ schedule: new Date(T0 + 7_200_000).toISOString() }));
    expect(r.status).toBe('scheduled');
    await e.settle();
    expect(port.started).toEqual([]);
    clock.now = T0 + 7_200_000;
    await e.settle();
    expect(e.get(ref(r)).status).toBe('finished');
  });

  it('a restart resumes the rollout, following the jobs it had started', async () => {
    const first = scriptedPort({});
    first.hold('gw-1');
    const { e, db, clock } = engine(first);
    const r = e.create(batch());
    await e.tick();
    expect(first.running()).toEqual(['gw-1']);
    await e.stop();
    const second = scriptedPort({});
    // The job engine keeps its jobs across a restart: the new port answers for job-1 too.
    await second.start('gw-1', 'img-5.1.0');
    second.started.length = 0;
    const again = engine(second, { db, clock });
    await again.e.settle();
    const end = again.e.get(ref(r));
    expect(end.status).toBe('finished');
    expect(second.started).toEqual(['gw-2', 'gw-3', 'gw-4', 'gw-5']);
  });

  it('refuses a version not in the library, zero devices, 0% and 150%; writes nothing', () => {
    const { e } = engine(scriptedPort({}));
    const none = engine(scriptedPort({}), { n: 0 }).e;
    expect(() => e.create(batch({ target_version: '9.9.9' }))).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND' }),
    );
    expect(() => none.create(batch())).toThrow(
      expect.objectContaining({
        code: 'VALIDATION_ERROR',
        message: expect.stringContaining('No devices'),
      }),
    );
    expect(() => e.create(batch({ rollout_percentage: 0 }))).toThrow(
      expect.objectContaining({ code: 'VALIDATION_ERROR' }),
    );
    expect(() => e.create(batch({ rollout_percentage: 150 }))).toThrow(
      expect.objectContaining({ code: 'VALIDATION_ERROR' }),
    );
    expect(() => e.create(batch({ device_ids: ['gw-9'] }))).toThrow(
      expect.objectContaining({ code: 'VALIDATION_ERROR' }),
    );
    expect(e.list()).toEqual([]);
  });
});
