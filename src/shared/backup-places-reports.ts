import type { LocationHealth } from './backup-places';

/**
 * Backup statistics and reports (backup-recovery-api.rst section 10) and the messages of
 * `/ws/backup/notifications` and `/ws/backup/health` (section 11), in the seed's shapes.
 */

// ---- Section 10: statistics and reports ----

export const STAT_PERIODS = ['24h', '7d', '30d', '90d'] as const;
export type StatPeriod = (typeof STAT_PERIODS)[number];
export const REPORT_FORMATS = ['pdf', 'html', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface BackupStatistics {
  period: StatPeriod;
  summary: {
    total_backups: number;
    successful: number;
    failed: number;
    success_rate: string;
    total_size: string;
    average_size: string;
    storage_used: string;
    storage_growth: string;
  };
  by_type: Record<string, { count: number; size: string }>;
  timeline: { date: string; successful: number; failed: number; size: string }[];
  storage_distribution: Record<string, { count: number; size: string }>;
  /**
   * Rigger's addition, the same facts in bytes for charts: what the period's backups hold,
   * what the store keeps (each deduplicated piece once), what deduplication saves across the
   * whole store, per day and per location.
   */
  bytes: {
    total: number;
    stored: number;
    logical_all: number;
    dedup_saved: number;
    by_day: Record<string, number>;
    by_location: Record<string, number>;
  };
}

// ---- Section 11: notifications and health ----

export type BackupNotification =
  | {
      type: 'backup_completed';
      backup_id: string;
      name: string;
      size: string;
      duration: string;
      timestamp: string;
    }
  | { type: 'backup_failed'; backup_id: string; name: string; error: string; timestamp: string }
  | { type: 'restore_completed'; restore_id: string; backup_id: string; timestamp: string }
  | {
      type: 'storage_alert';
      level: 'warning' | 'critical';
      storage: string;
      message: string;
      available: string;
      used: string;
      total: string;
    }
  | {
      type: 'schedule_event';
      event:
        | 'execution_started'
        | 'execution_completed'
        | 'execution_failed'
        | 'postponed'
        | 'missed'
        | 'caught_up';
      schedule_id: string;
      timestamp: string;
      gateway?: string;
      reason?: string;
    };

/** One location in a `storage_health` message, keyed by the location's id. */
export interface LocationHealthEntry {
  health: LocationHealth;
  used?: string;
  available?: string;
  utilization?: number;
  last_sync?: string | null;
}

export type BackupHealthMessage =
  | ({ type: 'storage_health' } & { [location: string]: LocationHealthEntry | 'storage_health' })
  | {
      type: 'service_status';
      scheduler: 'running' | 'stopped';
      encryption: 'enabled' | 'disabled';
      compression: 'enabled' | 'disabled';
    }
  | {
      type: 'connectivity_status';
      locations: Record<string, { health: LocationHealth; detail?: string }>;
    };
