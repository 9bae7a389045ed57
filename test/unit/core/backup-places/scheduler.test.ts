import { describe, expect, it } from 'vitest';
import type { SchedulePort } from '../../../../src/main/core/backup-places/schedules/ports';
import { Scheduler } from '../../../../src/main/core/backup-places/schedules/scheduler';
import type {
  BackupNotification,
  Schedule,
  SchedulesResponse,
} from '../../../../src/shared/backup-places';
import { RiggerError } from '../../../../src/shared/errors';
import { FakeClock } from './fake-clock';

/** The port's far side, recorded: which gateways answer, which cranes move, what ran. */
function world() {
  const state = {
    unreachable: new Set<string>(),
    moving: new Set<string>(),
    fail: new Set<string>(),
  };
  const runs: { schedule: string; gateway: string }[] = [];
  const notes: BackupNotification[] = [];
  const saved: Schedule[][] = [];
  const port: SchedulePort = {
    gatewaysOf: async (s) => (s.gateway ? [s.gateway] : ['GW-001', 'GW-002']),
    reachable: async (gw) => !state.unreachable.has(gw),
    safetyBlock: async (gw) =>
      state.moving.has(gw) ? new RiggerError('OTA_002', `${gw}: the crane is moving`) : null,
    runBackup: async (s, gw) => {
      if (state.fail.has(gw)) throw new Error('disk full on the laptop');
      runs.push({ schedule: s.id, gateway: gw });
      return { backup_id: `b-${runs.length}`, name: s.name, size: 1024, duration_s: 75 };
    },
    notify: (n) => notes.push(n),
    save: (list) => saved.push(structuredClone(list)),
  };
  return { state, runs, notes, saved, port };
}

const events = (notes: BackupNotification[]) =>
  notes.flatMap((n) => (n.type === 'schedule_event' ? [`${n.event}:${n.gateway}`] : []));

describe('scheduler on a fake clock', () => {
  it('runs a daily schedule at its time, records last/next execution, and says so', async () => {
    const w = world();
    const clock = new FakeClock('2025-06-12T01:00:00Z');
    const sch = new Scheduler(w.port, clock);
    const saved = sch.update({
      schedule_id: 'schedule_nightly',
      gateway: 'GW-001',
      time: '02:00',
      frequency: 'daily',
    });
    expect(saved).toEqual({
      status: 'updated',
      schedule_id: 'schedule_nightly',
      next_execution: '2025-06-12T02:00:00.000Z',
      message: 'Schedule updated successfully',
    });
    sch.start();
    await clock.advanceTo('2025-06-12T01:59:00Z', () => sch.idle());
    expect(w.runs).toEqual([]);
    await clock.advanceTo('2025-06-13T03:00:00Z', () => sch.idle());
    expect(w.runs).toEqual([
      { schedule: 'schedule_nightly', gateway: 'GW-001' },
      { schedule: 'schedule_nightly', gateway: 'GW-001' },
    ]);
    const s = sch.list().schedules[0]!;
    expect(s.last_execution).toBe('2025-06-13T02:00:00.000Z');
    expect(s.next_execution).toBe('2025-06-14T02:00:00.000Z');
    expect(s.missed_executions).toEqual([]);
    expect(w.notes.find((n) => n.type === 'backup_completed')).toMatchObject({
      backup_id: 'b-1',
      size: '1 KB',
      duration: '00:01:15',
    });
    expect(events(w.notes)).toEqual([
      'execution_started:GW-001',
      'execution_completed:GW-001',
      'execution_started:GW-001',
      'execution_completed:GW-001',
    ]);
    sch.stop();
  });

  it('a gateway that was unreachable is caught up once when it is back, and the missed slots are listed', async () => {
    const w = world();
    const clock = new FakeClock('2025-06-12T01:00:00Z');
    const sch = new Scheduler(w.port, clock, 60_000);
    sch.update({ schedule_id: 'site', site: 'quay-1', time: '02:00' });
    w.state.unreachable.add('GW-002');
    sch.start();
    await clock.advanceTo('2025-06-13T02:30:00Z', () => sch.idle());
    expect(w.runs.filter((r) => r.gateway === 'GW-002')).toEqual([]);
    expect(w.runs.filter((r) => r.gateway === 'GW-001')).toHaveLength(2);
    expect(sch.list().schedules[0]!.missed_executions).toEqual([
      '2025-06-12T02:00:00.000Z',
      '2025-06-13T02:00:00.000Z',
    ]);
    w.state.unreachable.delete('GW-002');
    await clock.advanceTo('2025-06-13T02:32:00Z', () => sch.idle());
    expect(w.runs.filter((r) => r.gateway === 'GW-002')).toHaveLength(1);
    expect(events(w.notes).filter((e) => e.endsWith('GW-002'))).toEqual([
      'missed:GW-002',
      'caught_up:GW-002',
      'execution_started:GW-002',
      'execution_completed:GW-002',
    ]);
    sch.stop();
  });

  it('a moving crane postpones a full backup (never forced) but not a config backup', async () => {
    const w = world();
    const clock = new FakeClock('2025-06-12T01:00:00Z');
    const sch = new Scheduler(w.port, clock, 60_000);
    sch.update({ schedule_id: 'full', gateway: 'GW-001', type: 'full' });
    sch.update({ schedule_id: 'cfg', gateway: 'GW-001', type: 'config' });
    w.state.moving.add('GW-001');
    sch.start();
    await clock.advanceTo('2025-06-12T02:10:00Z', () => sch.idle());
    expect(w.runs).toEqual([{ schedule: 'cfg', gateway: 'GW-001' }]);
    const postponed = w.notes.filter((n) => n.type === 'schedule_event' && n.event === 'postponed');
    expect(postponed).toHaveLength(1);
    expect(postponed[0]).toMatchObject({
      schedule_id: 'full',
      reason: 'GW-001: the crane is moving',
    });
    w.state.moving.delete('GW-001');
    await clock.advanceTo('2025-06-12T02:12:00Z', () => sch.idle());
    expect(w.runs).toEqual([
      { schedule: 'cfg', gateway: 'GW-001' },
      { schedule: 'full', gateway: 'GW-001' },
    ]);
    sch.stop();
  });

  it('a failed run is reported as backup_failed with its reason when asked for', async () => {
    const w = world();
    const clock = new FakeClock('2025-06-12T01:00:00Z');
    const sch = new Scheduler(w.port, clock);
    sch.update({ schedule_id: 'n', gateway: 'GW-001' });
    w.state.fail.add('GW-001');
    sch.start();
    await clock.advanceTo('2025-06-12T02:01:00Z', () => sch.idle());
    expect(w.notes.find((n) => n.type === 'backup_failed')).toMatchObject({
      error: 'disk full on the laptop',
    });
    expect(events(w.notes)).toEqual(['execution_started:GW-001', 'execution_failed:GW-001']);
    sch.stop();
  });

  it('slots that fell due while Rigger was not running are listed and run once on start', async () => {
    const w = world();
    const clock = new FakeClock('2025-06-15T09:00:00Z');
    const sch = new Scheduler(w.port, clock);
    const stored = new Scheduler(world().port, new FakeClock('2025-06-11T09:00:00Z'));
    stored.update({ schedule_id: 'n', gateway: 'GW-001' });
    const listed: Partial<SchedulesResponse['schedules'][number]> = {
      ...stored.list().schedules[0]!,
    };
    delete listed.missed_executions;
    sch.load([listed as Schedule]);
    expect(sch.list().schedules[0]!.missed_executions).toEqual([
      '2025-06-12T02:00:00.000Z',
      '2025-06-13T02:00:00.000Z',
      '2025-06-14T02:00:00.000Z',
      '2025-06-15T02:00:00.000Z',
    ]);
    expect(sch.list().schedules[0]!.next_execution).toBe('2025-06-16T02:00:00.000Z');
    sch.start();
    await clock.advanceTo('2025-06-15T09:05:00Z', () => sch.idle());
    expect(w.runs).toEqual([{ schedule: 'n', gateway: 'GW-001' }]);
    sch.stop();
  });

  it('refuses an impossible time and changes nothing; toggle disables', () => {
    const w = world();
    const sch = new Scheduler(w.port, new FakeClock('2025-06-12T01:00:00Z'));
    sch.update({ schedule_id: 'n', gateway: 'GW-001' });
    expect(() => sch.update({ schedule_id: 'n', time: '24:30' })).toThrow(/not a time of day/);
    expect(() => sch.update({ schedule_id: 'n', retention_count: 0 })).toThrow(/retention_count/);
    expect(sch.list().schedules[0]!.time).toBe('02:00');
    expect(sch.toggle('n', false)).toEqual({
      status: 'updated',
      schedule_id: 'n',
      enabled: false,
      message: 'Schedule disabled',
    });
    expect(() => sch.toggle('nope', true)).toThrow(/No schedule/);
  });
});
