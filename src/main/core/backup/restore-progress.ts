import type { BackupUpdate, RestoreProgress } from '../../../shared/backup';
import { seedHms } from '../../../shared/format/time';
import { sizeText } from './views';

/** A recovery or snapshot restore as `restore/progress/{id}` reports it. */
export interface RestoreRun {
  restore_id: string;
  operation: 'recovery' | 'snapshot_restore';
  status: RestoreProgress['status'];
  started_at: number;
  step: string;
  component: string | null;
  files_processed: number;
  files_total: number;
  bytes_processed: number;
  bytes_total: number;
  integrity_check: RestoreProgress['integrity_check'];
  restart_required: boolean;
}

/** `restore/progress/{restore_id}` in the seed's shape. */
export function restoreProgressView(run: RestoreRun, now = Date.now()): RestoreProgress {
  const elapsed = (now - run.started_at) / 1000;
  const done = run.status === 'completed';
  const share = run.bytes_total > 0 ? run.bytes_processed / run.bytes_total : 0;
  const progress = done ? 100 : Math.min(99, Math.floor(100 * share));
  const eta = done || share <= 0 ? 0 : (elapsed * (1 - share)) / share;
  return {
    restore_id: run.restore_id,
    operation: run.operation,
    status: run.status,
    progress,
    current_step: done ? 'completed' : run.step,
    current_component: run.component,
    details: {
      files_processed: run.files_processed,
      files_total: run.files_total,
      data_processed: sizeText(run.bytes_processed),
      data_total: sizeText(run.bytes_total),
      eta: seedHms(eta),
      elapsed: seedHms(elapsed),
    },
    integrity_check: run.integrity_check,
    restart_required: run.restart_required,
  };
}

/** The `/ws/backup/updates` message for a running restore. */
export function restoreUpdateMessage(run: RestoreRun, now = Date.now()): BackupUpdate {
  const v = restoreProgressView(run, now);
  return {
    type: 'restore_progress',
    restore_id: run.restore_id,
    progress: v.progress,
    current_step: v.current_step,
    eta: v.details.eta,
  };
}
