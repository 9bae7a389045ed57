import type {
  BackupNotification,
  Schedule,
  SchedulesResponse,
  ScheduleUpdate,
  ScheduleUpdateResponse,
  ScheduleToggleResponse,
} from '../../../../shared/backup-places';
import { scheduleSchema } from '../../../../shared/backup-places';
import { RiggerError } from '../../../../shared/errors';
import { formatBytes } from '../size-text';
import { seedHms } from '../../../../shared/format/time';
import { cronOf, dueBetween, nextExecution } from './next-run';
import { defaultSchedule, systemClock, type Clock, type SchedulePort } from './ports';

export { systemClock, type Clock, type SchedulePort } from './ports';

/** Backup types whose database component is quiesced: they wait while the crane moves. */
const NEEDS_SERVICES_STOPPED = new Set(['full', 'pre-ota']);
const MAX_MISSED = 50;

interface Pending {
  schedule_id: string;
  gateway: string;
  due: string;
  waiting: 'unreachable' | 'postponed' | null;
}

/**
 * Runs schedules while Rigger runs. A run whose gateway cannot be reached waits and is caught
 * up when it can; a run that must stop services waits while the crane moves. Missed slots are
 * listed, never run more than once per gateway.
 */
export class Scheduler {
  private readonly schedules = new Map<string, Schedule>();
  private readonly pending = new Map<string, Pending>();
  private readonly missed = new Map<string, string[]>();
  private timer: unknown = null;
  private running = false;
  private ticking: Promise<void> = Promise.resolve();

  constructor(
    private readonly port: SchedulePort,
    private readonly clock: Clock = systemClock,
    private readonly retryMs = 60_000,
  ) {}

  /** Take schedules as stored; slots that fell due while Rigger was not running are owed. */
  load(list: Schedule[]): void {
    const now = this.clock.now();
    for (const raw of list) {
      const s = scheduleSchema.parse(raw);
      cronOf(s);
      const since = s.last_execution ?? s.next_execution;
      if (s.enabled && since) {
        const owed = dueBetween(s, new Date(Date.parse(since) - 1), now).filter(
          (d) => d.toISOString() !== s.last_execution,
        );
        for (const d of owed) this.noteMissed(s.id, d.toISOString());
        if (owed.length)
          this.pending.set(`${s.id}|*`, {
            schedule_id: s.id,
            gateway: '*',
            due: owed.at(-1)!.toISOString(),
            waiting: null,
          });
      }
      s.next_execution = nextExecution(s, now).toISOString();
      this.schedules.set(s.id, s);
    }
  }

  list(): SchedulesResponse {
    const schedules = [...this.schedules.values()].map((s) => ({
      ...s,
      missed_executions: [...(this.missed.get(s.id) ?? [])],
    }));
    return { schedules, total_schedules: schedules.length };
  }

  /** The seed's "Update Schedule": a new schedule_id creates one; a bad time changes nothing. */
  update(req: ScheduleUpdate): ScheduleUpdateResponse {
    const { schedule_id, ...patch } = req;
    const cur = this.schedules.get(schedule_id);
    const base: Schedule = cur ?? defaultSchedule(schedule_id);
    const merged = scheduleSchema.safeParse({ ...base, ...patch });
    if (!merged.success) {
      const issue = merged.error.issues[0]!;
      throw new RiggerError(
        'VALIDATION_ERROR',
        `Schedule ${schedule_id}: ${issue.path.join('.')} ${issue.message}`,
        {
          schedule_id,
          field: issue.path.join('.'),
        },
      );
    }
    const s = merged.data;
    s.next_execution = nextExecution(s, this.clock.now()).toISOString();
    this.schedules.set(s.id, s);
    this.changed();
    return {
      status: 'updated',
      schedule_id: s.id,
      next_execution: s.enabled ? s.next_execution : null,
      message: 'Schedule updated successfully',
    };
  }

  toggle(scheduleId: string, enabled: boolean): ScheduleToggleResponse {
    const s = this.schedules.get(scheduleId);
    if (!s)
      throw new RiggerError('NOT_FOUND', `No schedule ${scheduleId}`, { schedule_id: scheduleId });
    s.enabled = enabled;
    if (enabled) s.next_execution = nextExecution(s, this.clock.now()).toISOString();
    this.changed();
    return {
      status: 'updated',
      schedule_id: s.id,
      enabled,
      message: enabled ? 'Schedule enabled' : 'Schedule disabled',
    };
  }

  start(): void {
    this.running = true;
    this.kick();
  }

  stop(): void {
    this.running = false;
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  /** Resolves when the scheduler has finished what it was doing. */
  idle(): Promise<void> {
    return this.ticking;
  }

  private kick(): void {
    this.ticking = this.ticking
      .then(() => this.tick())
      .catch(() => undefined)
      .then(() => this.arm());
  }

  private changed(): void {
    this.port.save([...this.schedules.values()]);
    if (this.running) this.arm();
  }

  private arm(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    if (!this.running) return;
    const now = this.clock.now().getTime();
    let at = this.pending.size ? now + this.retryMs : Infinity;
    for (const s of this.schedules.values())
      if (s.enabled && s.next_execution) at = Math.min(at, Date.parse(s.next_execution));
    if (at === Infinity) return;
    this.timer = this.clock.setTimeout(() => this.kick(), Math.max(0, at - now));
  }

  private noteMissed(id: string, iso: string): void {
    const list = this.missed.get(id) ?? [];
    if (!list.includes(iso)) list.push(iso);
    while (list.length > MAX_MISSED) list.shift();
    this.missed.set(id, list);
  }

  private async tick(): Promise<void> {
    const now = this.clock.now();
    for (const s of this.schedules.values()) {
      if (!s.enabled || !s.next_execution || Date.parse(s.next_execution) > now.getTime()) continue;
      for (const gw of await this.port.gatewaysOf(s)) {
        const key = `${s.id}|${gw}`;
        // A slot still owed when the next one comes is missed; the newer one is what runs.
        const before = this.pending.get(key);
        if (before) this.noteMissed(s.id, before.due);
        this.pending.set(key, {
          schedule_id: s.id,
          gateway: gw,
          due: s.next_execution,
          waiting: before?.waiting ?? null,
        });
      }
      s.next_execution = nextExecution(s, now).toISOString();
    }
    for (const [key, p] of [...this.pending]) {
      const s = this.schedules.get(p.schedule_id);
      if (!s || !s.enabled) {
        this.pending.delete(key);
        continue;
      }
      if (p.gateway === '*') {
        this.pending.delete(key);
        for (const gw of await this.port.gatewaysOf(s))
          this.pending.set(`${s.id}|${gw}`, { ...p, gateway: gw, waiting: 'unreachable' });
        continue;
      }
      await this.attempt(key, p, s);
    }
    this.port.save([...this.schedules.values()]);
  }

  private event(
    s: Schedule,
    event: Extract<BackupNotification, { type: 'schedule_event' }>['event'],
    gateway: string,
    reason?: string,
  ): void {
    this.port.notify({
      type: 'schedule_event',
      event,
      schedule_id: s.id,
      timestamp: this.clock.now().toISOString(),
      gateway,
      ...(reason ? { reason } : {}),
    });
  }

  private async attempt(key: string, p: Pending, s: Schedule): Promise<void> {
    if (!(await this.port.reachable(p.gateway))) {
      this.noteMissed(s.id, p.due);
      if (p.waiting !== 'unreachable') {
        this.event(
          s,
          'missed',
          p.gateway,
          `${p.gateway} is unreachable: the run waits until it is back`,
        );
      }
      p.waiting = 'unreachable';
      return;
    }
    if (NEEDS_SERVICES_STOPPED.has(s.type)) {
      const block = await this.port.safetyBlock(p.gateway);
      if (block) {
        if (p.waiting !== 'postponed') this.event(s, 'postponed', p.gateway, block.message);
        p.waiting = 'postponed';
        return;
      }
    }
    this.pending.delete(key);
    if (p.waiting)
      this.event(
        s,
        'caught_up',
        p.gateway,
        `run due at ${p.due}, ${p.waiting === 'unreachable' ? 'after the gateway came back' : 'after the crane stopped'}`,
      );
    this.event(s, 'execution_started', p.gateway);
    s.last_execution = this.clock.now().toISOString();
    try {
      const out = await this.port.runBackup(s, p.gateway);
      this.event(s, 'execution_completed', p.gateway);
      if (s.notifications.on_success)
        this.port.notify({
          type: 'backup_completed',
          backup_id: out.backup_id,
          name: out.name,
          size: formatBytes(out.size),
          duration: seedHms(out.duration_s),
          timestamp: this.clock.now().toISOString(),
        });
    } catch (err) {
      const message = (err as Error).message;
      this.event(s, 'execution_failed', p.gateway, message);
      if (s.notifications.on_failure)
        this.port.notify({
          type: 'backup_failed',
          backup_id: '',
          name: `${s.name} (${p.gateway})`,
          error: message,
          timestamp: this.clock.now().toISOString(),
        });
    }
  }
}
