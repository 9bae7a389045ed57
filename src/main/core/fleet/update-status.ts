import type { OtaUpdateStatus, UPDATE_STAGES, UPDATE_STATUSES } from '../../../shared/fleet-ota';
import type { Job, JobStatus } from '../../../shared/jobs';

type Stage = (typeof UPDATE_STAGES)[number];
type Status = (typeof UPDATE_STATUSES)[number];

/** Each job state as the seed's `update_status` and `stage`. */
const MAP: Record<JobStatus, [Status, Stage]> = {
  pending: ['pending', 'queued'],
  downloading: ['in_progress', 'downloading'],
  verifying: ['in_progress', 'verifying'],
  downloaded: ['in_progress', 'verifying'],
  installing: ['in_progress', 'installing'],
  rebooting: ['in_progress', 'rebooting'],
  verifying_boot: ['in_progress', 'verifying_boot'],
  paused_safety: ['in_progress', 'waiting_for_safety'],
  success: ['completed', 'done'],
  failed: ['failed', 'done'],
  cancelled: ['failed', 'done'],
  interrupted: ['failed', 'done'],
};

/**
 * The seed's "Update Status" of a device from its gateway's latest update job (or none). A
 * rollback job that succeeded reads as `rolled_back`; a job that failed after switching slots is
 * `failed` (the gateway is back on its old system).
 */
export function toUpdateStatus(
  deviceId: string,
  currentVersion: string | null,
  job: Pick<Job, 'id' | 'type' | 'status' | 'progress' | 'started' | 'update' | 'error'> | null,
): OtaUpdateStatus {
  if (!job)
    return {
      device_id: deviceId,
      update_status: 'idle',
      current_version: currentVersion,
      target_version: null,
      progress: 0,
      stage: null,
      started_at: null,
      job_id: null,
      error: null,
    };
  const [status, stage] = MAP[job.status];
  return {
    device_id: deviceId,
    update_status: job.type === 'rollback' && status === 'completed' ? 'rolled_back' : status,
    current_version: currentVersion,
    target_version: job.update?.version ?? null,
    progress: status === 'completed' ? 100 : Math.max(0, Math.min(100, Math.round(job.progress))),
    stage,
    started_at: job.started,
    job_id: job.id,
    error: job.error,
  };
}
