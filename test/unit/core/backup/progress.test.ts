import { describe, expect, it } from 'vitest';
import {
  backupProgressView,
  backupUpdateMessage,
  type BackupRun,
} from '../../../../src/main/core/backup/progress';
import { backupProgressSchema, backupUpdateSchema } from '../../../../src/shared/backup';

describe('backup progress in the seed shapes', () => {
  const run: BackupRun = {
    job_id: 'JOB-001',
    backup_id: 'backup_20250315_1430',
    status: 'running',
    started_at: 0,
    last: {
      step: 'reading_files',
      component: 'database',
      processed: 143_000_000,
      total: 150_000_000,
      files_processed: 10,
      files_total: 20,
    },
    estimate: 220_000_000,
    errors: 0,
    warnings: 2,
  };

  it('measures from what was read: percent, speed, ETA and elapsed', () => {
    const v = backupProgressSchema.parse(backupProgressView(run, 10_000));
    expect(v).toEqual({
      job_id: 'JOB-001',
      operation: 'backup_create',
      status: 'running',
      progress: 65,
      current_step: 'reading_files',
      current_component: 'database',
      details: {
        processed: '143 MB',
        total: '220 MB',
        speed: '14 MB/s',
        eta: '00:00:05',
        elapsed: '00:00:10',
      },
      errors: 0,
      warnings: 2,
    });
    expect(backupUpdateSchema.parse(backupUpdateMessage(run, 10_000))).toEqual({
      type: 'backup_progress',
      job_id: 'JOB-001',
      backup_id: 'backup_20250315_1430',
      progress: 65,
      current_step: 'reading_files',
      eta: '00:00:05',
    });
  });

  it('says 100 and no ETA when done, 0 before anything is read', () => {
    expect(backupProgressView({ ...run, status: 'completed' }, 10_000)).toMatchObject({
      progress: 100,
      current_step: 'completed',
      details: { eta: '00:00:00' },
    });
    expect(backupProgressView({ ...run, last: null, estimate: 0 }, 0)).toMatchObject({
      progress: 0,
      current_step: 'preparing',
    });
  });
});
