import type { OperationOutput } from '../../../shared/api';
import type { RiggerEvent } from '../../../shared/events';
import type {
  FactoryInput,
  MonitorStatus,
  RecoveryStatus,
  RestoreInput,
  RollbackInput,
  SnapshotInput,
} from '../../../shared/recovery';

/** The events this service emits on the core's bus. */
export type RecoveryEvent = Extract<
  RiggerEvent,
  { type: 'progress_update' | 'status_change' | 'job_complete' | 'system_event' | 'safety_alert' }
>;

/**
 * Recovery over SSH (seed "Recovery Operations"): snapshots of a gateway's data paths (and its
 * booted slot's image) kept on this laptop, restores, rollbacks to the other slot, factory
 * resets, and the monitor status. Each long action is a job of the job engine.
 *
 * Emits through the job engine (`progress_update`, `status_change`, `job_complete`), plus
 * `system_event` around reboots and safety's `safety_alert`.
 */
export interface RecoveryService {
  /** The recovery image, the snapshots held, and whether a rollback can run (and why not). */
  status(gateway: string, withChecksum: boolean): Promise<RecoveryStatus>;
  /** Start a snapshot (a backup job now); `by` is who asked (the job's user). */
  snapshot(req: SnapshotInput, by?: string): Promise<OperationOutput<'monitor.snapshot'>>;
  /** The snapshots (backups) on this laptop, one gateway's or all. */
  list(gateway?: string): Promise<OperationOutput<'snapshots.list'>>;
  /** Delete a snapshot (a backup: what no other backup uses is freed; audited). */
  remove(id: string): Promise<OperationOutput<'snapshots.remove'>>;
  /** Restore a snapshot (a backup): its files, and its system image written and booted. */
  restore(req: RestoreInput, by?: string): Promise<OperationOutput<'recovery.restore'>>;
  /** Switch back to the other slot (its image proven first), reboot, verify, commit. */
  rollback(req: RollbackInput, by?: string): Promise<OperationOutput<'recovery.rollback'>>;
  /** PIN, settings and safety first; an emergency backup when asked; then the reset job. */
  factory(req: FactoryInput, by?: string): Promise<OperationOutput<'recovery.factory'>>;
  /** Rigger's jobs on a gateway, its health and its resources. */
  monitorStatus(gateway: string): Promise<MonitorStatus>;
}
