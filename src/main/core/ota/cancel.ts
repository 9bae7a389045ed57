import { RiggerError } from '../../../shared/errors';
import type { SlotId } from '../../../shared/profile';
import { CANCELABLE } from '../jobs/format';
import { runByOtherProcess, type JobRow } from '../jobs/store';
import { streamingSession, type OtaDeps } from './context';
import { writeSlotRecord } from '../slots/status-record';
import { run, shq } from '../gateways/session';

/**
 * Cancel a job that has not switched the boot slot. The booted slot is never touched; the target
 * stays unbootable. `cleanup` also wipes the partial image's first MiB and its status record.
 */
export async function cancelJob(d: OtaDeps, row: JobRow, reason: string, cleanup: boolean) {
  if (!CANCELABLE.has(row.status) || row.state.switched) {
    throw new RiggerError(
      'OTA_013',
      `Job ${row.id} is ${row.status} and can no longer be cancelled`,
      { job_id: row.id, status: row.status },
      row.state.switched
        ? ['The slot is already switched: wait for the job to commit or roll back']
        : [],
    );
  }
  if (runByOtherProcess(row)) {
    throw new RiggerError(
      'OTA_014',
      `Job ${row.id} is being run by another Rigger process (pid ${row.owner_pid})`,
      { job_id: row.id, owner_pid: row.owner_pid },
      ['Stop it where it runs (Ctrl-C in that terminal), then cancel it here'],
    );
  }
  await d.engine.abort(row.id);
  const target = row.state.target as SlotId | undefined;
  let cleaned = false;
  if (cleanup && target && row.state.disabled) {
    try {
      const { profile, session } = await streamingSession(d, row.gateway);
      await run(
        session,
        `dd if=/dev/zero of=${shq(profile.slots[target].device)} bs=65536 count=16 conv=notrunc,fsync`,
      );
      await writeSlotRecord(session, profile, target, null);
      cleaned = true;
    } catch {
      cleaned = false; // the gateway is unreachable: the slot stays unbootable, which is safe
    }
  }
  const after = d.engine.store.find(row.id)!;
  if (after.status !== 'cancelled')
    d.engine.finish(row.id, 'cancelled', reason, { operation: 'cancelled' });
  d.engine.store.mergeState(row.id, { cancel_reason: reason, resumable: false });
  d.audit.record({
    action: 'job.cancel',
    outcome: 'ok',
    details: { job_id: row.id, reason, cleanup: cleaned },
  });
  let imageKept = false;
  try {
    d.images.get(String(row.params.image_id));
    imageKept = true;
  } catch {
    imageKept = false;
  }
  return {
    status: 'cancelled' as const,
    job_id: row.id,
    message: 'Job cancelled successfully',
    cleanup_performed: cleaned,
    partial_data_removed: cleaned,
    // A cancelled job is not continued; the same image can start a new job if it is still there.
    can_restart: imageKept,
  };
}
