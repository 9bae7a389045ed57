import type { JobOutcome } from './jobs';

/**
 * Events the core pushes to the UI, in the seed's message types
 * (seeds/gateway-ota-recovery-api.rst, "WebSocket Real-time Updates"), plus
 * `gateways_changed` so every window's list stays current.
 */

export interface ProgressUpdateEvent {
  type: 'progress_update';
  job_id: string;
  progress: number;
  current_operation: string;
  eta: string | null;
  details: Record<string, unknown>;
}

export interface StatusChangeEvent {
  type: 'status_change';
  system_status: string;
  message: string;
  severity: 'info' | 'warning' | 'error';
  timestamp: string;
  gateway?: string;
  /** Rigger's addition: the job whose status or step changed, when a job's did. */
  job_id?: string;
}

export interface SafetyAlertEvent {
  type: 'safety_alert';
  constraint: string;
  status: string;
  message: string;
  severity: 'info' | 'warning' | 'critical';
  action_required: boolean;
  suggested_action: string;
}

export interface JobCompleteEvent {
  type: 'job_complete';
  job_id: string;
  status: JobOutcome;
  message: string;
  details: Record<string, unknown>;
}

export interface SystemEvent {
  type: 'system_event';
  event: string;
  message: string;
  timestamp: string;
  countdown?: number;
  /** For serial_adapter_connected/disconnected: the port. */
  port?: string;
}

export interface GatewaysChangedEvent {
  type: 'gateways_changed';
}

/** Rigger's addition: bytes from a serial console session, for the terminal. */
export interface ConsoleDataEvent {
  type: 'console_data';
  session_id: string;
  /** The bytes as latin1 text (one char per byte): the terminal decodes them. */
  data: string;
}

/** Rigger's addition: one line of a plugin operation's terminal output (as `/ota-update` streams it). */
export interface PluginTerminalEvent {
  type: 'plugin_terminal';
  update_id: string;
  stream: 'stdout' | 'stderr' | 'rigger';
  line: string;
  at: string;
}

import type { BackupUpdate } from './backup-progress';
import type { AlertEvent } from './telemetry';
import type { BackupHealthMessage, BackupNotification } from './backup-places';
import type { RolloutStatus } from './fleet-ota';

/** Rigger's addition: a rollout moved on (a wave started or ended, it paused, it finished). */
export interface RolloutChangedEvent {
  type: 'rollout_changed';
  rollout_id: string;
  status: RolloutStatus;
  paused_reason: string | null;
}

export type { AlertEvent };

/** `sync_progress` and `cleanup_progress` of backup places (the seed's /ws/backup/updates). */
export interface BackupPlacesProgressEvent {
  type: 'sync_progress' | 'cleanup_progress';
  sync_id?: string;
  cleanup_id?: string;
  progress: number;
  current_step: string;
  eta?: string;
}

export type RiggerEvent =
  | AlertEvent
  | ConsoleDataEvent
  | ProgressUpdateEvent
  | StatusChangeEvent
  | SafetyAlertEvent
  | JobCompleteEvent
  | SystemEvent
  | GatewaysChangedEvent
  | PluginTerminalEvent
  /** `/ws/backup/updates` (seeds/backup-recovery-api.rst section 11), as the seed writes them. */
  | BackupUpdate
  | BackupNotification
  | BackupHealthMessage
  | BackupPlacesProgressEvent
  | RolloutChangedEvent;

export type RiggerEventType = RiggerEvent['type'];
/** The message types of `/ws/backup/updates`. */
export const BACKUP_UPDATE_TYPES: readonly BackupUpdate['type'][] = [
  'backup_progress',
  'restore_progress',
  'import_progress',
  'sync_progress',
  'cleanup_progress',
];
export const EVENT_TYPES: readonly RiggerEventType[] = [
  'progress_update',
  'status_change',
  'safety_alert',
  'job_complete',
  'system_event',
  'gateways_changed',
  'console_data',
  'alert',
  'plugin_terminal',
  ...BACKUP_UPDATE_TYPES,
  'backup_completed',
  'backup_failed',
  'restore_completed',
  'storage_alert',
  'schedule_event',
  'storage_health',
  'service_status',
  'connectivity_status',
  'rollout_changed',
];
