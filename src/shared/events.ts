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

import type { AlertEvent } from './telemetry';
import type { RolloutStatus } from './fleet-ota';

/** Rigger's addition: a rollout moved on (a wave started or ended, it paused, it finished). */
export interface RolloutChangedEvent {
  type: 'rollout_changed';
  rollout_id: string;
  status: RolloutStatus;
  paused_reason: string | null;
}

export type { AlertEvent };

export type RiggerEvent =
  | AlertEvent
  | ConsoleDataEvent
  | ProgressUpdateEvent
  | StatusChangeEvent
  | SafetyAlertEvent
  | JobCompleteEvent
  | SystemEvent
  | GatewaysChangedEvent
  | RolloutChangedEvent;

export type RiggerEventType = RiggerEvent['type'];
export const EVENT_TYPES: readonly RiggerEventType[] = [
  'progress_update',
  'status_change',
  'safety_alert',
  'job_complete',
  'system_event',
  'gateways_changed',
  'console_data',
  'alert',
  'rollout_changed',
];
