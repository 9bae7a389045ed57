import type { OperationOutput } from '../../../shared/api';
import type { RiggerEvent } from '../../../shared/events';
import type { DownloadInput, InstallInput, UpdateProgress } from '../../../shared/ota';
import type { SlotId } from '../../../shared/profile';
import type { UpdatePlan, UpdatePlanInput } from '../../../shared/update-plan';
import type { JobRow } from '../jobs/store';
import type { InstallParams } from './install';

/** Seed "Deploy Manual Image" as the OTA service takes it (defaults applied). */
export interface DeployRequest {
  gateway: string;
  filename: string;
  version?: string;
  target_partition?: SlotId;
  allow_unsigned: boolean;
  verify_before_deploy: boolean;
  create_snapshot: boolean;
  reboot_delay: number;
  confirm_outside_window: boolean;
}

/** The events this service emits on the core's bus. */
export type OtaEvent = Extract<
  RiggerEvent,
  { type: 'progress_update' | 'status_change' | 'job_complete' | 'system_event' | 'safety_alert' }
>;

/**
 * Updates over SSH: write an image into the inactive slot (a resumable job with checkpoints and
 * the gateway's own read-back), then switch, reboot, watch and commit it.
 *
 * Emits through the job engine (`progress_update`, `status_change`, `job_complete`), plus
 * `system_event` (`job_resumed`, reboot countdowns and reconnects) and safety's `safety_alert`.
 */
export interface OtaService {
  /** Which path writing an image would take (full raw, full gzip, delta) and why; reads only. */
  plan(input: UpdatePlanInput): Promise<UpdatePlan>;
  /** Start writing an image into the inactive slot; the job stops at `downloaded`. */
  download(input: DownloadInput): Promise<OperationOutput<'updates.download'>>;
  /** The seed's progress of a job (the newest one when no id is given). */
  progress(jobId?: string): UpdateProgress;
  /** Switch to, reboot into and commit an image a job has written (maintenance window checked). */
  install(input: InstallInput): OperationOutput<'updates.install'>;
  /** Write then install in one job; the install's parameters are journaled before it starts. */
  flash(
    input: DownloadInput,
    install: InstallParams | null,
    confirmOutsideWindow?: boolean,
  ): Promise<OperationOutput<'updates.download'>>;
  /** Seed "Deploy Manual Image": the same write, then the install, for a library image. */
  deploy(input: DeployRequest): Promise<OperationOutput<'upload.deploy'>>;
  /** Continue an interrupted (or link-failed) job from its journal. */
  resume(jobId: string): JobRow;
  /** Cancel a job that has not switched the boot slot (optionally wiping the partial image). */
  cancel(jobId: string, reason: string, cleanup: boolean): Promise<OperationOutput<'jobs.cancel'>>;
}
