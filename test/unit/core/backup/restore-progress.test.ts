import { describe, expect, it } from 'vitest';
import {
  restoreProgressView,
  restoreUpdateMessage,
  type RestoreRun,
} from '../../../../src/main/core/backup/restore-progress';
import { backupUpdateSchema, restoreProgressSchema } from '../../../../src/shared/backup';

const run = (patch: Partial<RestoreRun> = {}): RestoreRun => ({
  restore_id: 'job-1',
  operation: 'recovery',
  status: 'running',
  started_at: 1_000_000,
  step: 'restoring_config',
  component: 'config',
  files_processed: 450,
  files_total: 1000,
  bytes_processed: 99_000_000,
  bytes_total: 220_000_000,
  integrity_check: 'pending',
  restart_required: true,
  ...patch,
});

describe('restore progress in the seed shape', () => {
  it('reports percent, sizes, elapsed and an ETA from the measured rate', () => {
    const v = restoreProgressSchema.parse(restoreProgressView(run(), 1_000_000 + 270_000));
    expect(v).toMatchObject({
      restore_id: 'job-1',
      progress: 45,
      current_step: 'restoring_config',
      current_component: 'config',
      details: {
        files_processed: 450,
        files_total: 1000,
        data_processed: '99 MB',
        data_total: '220 MB',
        elapsed: '00:04:30',
        eta: '00:05:30',
      },
      restart_required: true,
    });
  });

  it('is 100% once completed, never before, and the socket message matches', () => {
    expect(restoreProgressView(run({ bytes_processed: 220_000_000 })).progress).toBe(99);
    const done = restoreProgressView(run({ status: 'completed' }), 1_000_000);
    expect(done).toMatchObject({ progress: 100, current_step: 'completed' });
    expect(done.details.eta).toBe('00:00:00');
    const m = backupUpdateSchema.parse(restoreUpdateMessage(run(), 1_000_000 + 270_000));
    expect(m).toEqual({
      type: 'restore_progress',
      restore_id: 'job-1',
      progress: 45,
      current_step: 'restoring_config',
      eta: '00:05:30',
    });
  });
});
