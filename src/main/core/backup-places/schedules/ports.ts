import type { BackupNotification, Schedule } from '../../../../shared/backup-places';
import type { RiggerError } from '../../../../shared/errors';

/** Time as the scheduler sees it: the system's in the app, a fake one in tests. */
export interface Clock {
  now(): Date;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => new Date(),
  setTimeout: (fn, ms) => setTimeout(fn, Math.min(ms, 2 ** 31 - 1)),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** What the scheduler needs from the rest of Rigger. */
export interface SchedulePort {
  gatewaysOf(s: Schedule): Promise<string[]>;
  reachable(gateway: string): Promise<boolean>;
  /** Null when the gateway's services may be stopped now; else why not (OTA_002: crane moving). */
  safetyBlock(gateway: string): Promise<RiggerError | null>;
  runBackup(
    s: Schedule,
    gateway: string,
  ): Promise<{ backup_id: string; name: string; size: number; duration_s: number }>;
  notify(n: BackupNotification): void;
  save(schedules: Schedule[]): void;
}

/** A new schedule's settings before the request's are applied (the seed's example). */
export function defaultSchedule(id: string): Schedule {
  return {
    id,
    enabled: true,
    name: id,
    type: 'full',
    frequency: 'daily',
    time: '02:00',
    timezone: 'UTC',
    retention_count: 5,
    encryption: true,
    destination: 'local',
    auto_purge: false,
    last_execution: null,
    next_execution: null,
    notifications: { on_success: true, on_failure: true },
  };
}
