import type { ProgressUpdateEvent } from '../../../../shared/events';
import type { Job } from '../../../../shared/jobs';

/** A named step of a recovery job, the core's operations in it, and whether bytes move in it. */
export interface JobStep {
  label: string;
  ops: readonly string[];
  bytes?: boolean;
}

/** The switch, reboot and commit a rollback shares with an update's install. */
const SWITCH_AND_COMMIT: JobStep[] = [
  { label: 'Check', ops: ['pending', 'safety_check', 'verifying_slot_before_switch'] },
  { label: 'Switch', ops: ['updating_bootloader'] },
  { label: 'Reboot', ops: ['rebooting', 'waiting_for_gateway'] },
  { label: 'Health and commit', ops: ['health_check', 'committing', 'completed'] },
];

const STEPS: Record<Job['type'], JobStep[]> = {
  rollback: SWITCH_AND_COMMIT,
  update: SWITCH_AND_COMMIT,
  snapshot: [
    { label: 'Check', ops: ['pending', 'preparing_filesystem'] },
    { label: 'Archive the data', ops: ['creating_archive'], bytes: true },
    { label: 'Copy the system slot', ops: ['creating_system_image'], bytes: true },
    { label: 'Done', ops: ['completed'] },
  ],
  restore: [
    { label: 'Check the snapshot', ops: ['pending', 'verifying_snapshot_integrity'] },
    { label: 'Restore', ops: ['restoring_from_snapshot', 'writing_slot_image'], bytes: true },
    { label: 'Verify', ops: ['verifying_restored_system', 'verifying_written_slot'] },
    { label: 'Done', ops: ['completed'] },
  ],
  factory_reset: [
    { label: 'Reset', ops: ['pending', 'resetting'] },
    { label: 'Reboot', ops: ['rebooting', 'waiting_for_gateway'] },
    { label: 'Done', ops: ['completed'] },
  ],
};

/** The named steps of a job of this type (an unknown type: none, the bar alone). */
export const stepsFor = (type: Job['type'] | undefined): JobStep[] => (type ? STEPS[type] : []);

const indexOf = (steps: JobStep[], op: string | undefined) =>
  op ? steps.findIndex((s) => s.ops.includes(op)) : -1;

/**
 * Where the job is: the step (the later of what the job row and the last progress event say,
 * never back to an earlier one) and the whole job's percentage: the steps done, plus the share
 * of bytes moved in a step that moves bytes.
 */
export function jobPlace(
  steps: JobStep[],
  job: Job | null,
  event: ProgressUpdateEvent | null,
): { at: number; percent: number } {
  if (!steps.length) return { at: 0, percent: event?.progress ?? 0 };
  const fromEvent = indexOf(steps, event?.current_operation);
  const at = Math.max(0, indexOf(steps, job?.current_operation), fromEvent);
  const part = steps[at]!.bytes && fromEvent === at && event ? event.progress / 100 : 0;
  const percent = job?.status === 'success' ? 100 : ((at + part) / steps.length) * 100;
  return { at, percent: Math.round(percent * 10) / 10 };
}
