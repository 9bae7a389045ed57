import type { BackupProgress, BackupUpdate } from '../../../shared/backup';
import type { BackupStepProgress } from './gateway-backup';
import { seedHms } from '../../../shared/format/time';
import { sizeText } from './views';

export interface BackupRun {
  job_id: string;
  backup_id: string;
  status: BackupProgress['status'];
  started_at: number;
  /** The last progress the backup reported (null before the first). */
  last: BackupStepProgress | null;
  /** Bytes the backup is expected to read in all (an estimate; 0 when unknown). */
  estimate: number;
  errors: number;
  warnings: number;
}

/** Percent done, ETA and speed of a running backup, from what it has read so far. */
function measure(run: BackupRun, now: number) {
  const elapsed = (now - run.started_at) / 1000;
  const processed = run.last?.processed ?? 0;
  const total = Math.max(run.estimate, run.last?.total ?? 0, processed);
  const speed = elapsed > 0 ? processed / elapsed : 0;
  const done = run.status === 'completed';
  const progress = done ? 100 : total > 0 ? Math.min(99, Math.floor((100 * processed) / total)) : 0;
  const eta = done || speed <= 0 ? 0 : (total - processed) / speed;
  return { elapsed, processed, total, speed, progress, eta };
}

/** `backup/progress/{job_id}` in the seed's shape. */
export function backupProgressView(run: BackupRun, now = Date.now()): BackupProgress {
  const m = measure(run, now);
  return {
    job_id: run.job_id,
    operation: 'backup_create',
    status: run.status,
    progress: m.progress,
    current_step: run.status === 'completed' ? 'completed' : (run.last?.step ?? 'preparing'),
    current_component: run.last?.component ?? null,
    details: {
      processed: sizeText(m.processed),
      total: sizeText(m.total),
      speed: `${sizeText(Math.round(m.speed))}/s`,
      eta: seedHms(m.eta),
      elapsed: seedHms(m.elapsed),
    },
    errors: run.errors,
    warnings: run.warnings,
  };
}

/** The `/ws/backup/updates` message for a running backup. */
export function backupUpdateMessage(run: BackupRun, now = Date.now()): BackupUpdate {
  const v = backupProgressView(run, now);
  return {
    type: 'backup_progress',
    job_id: run.job_id,
    backup_id: run.backup_id,
    progress: v.progress,
    current_step: v.current_step,
    eta: v.details.eta,
  };
}
