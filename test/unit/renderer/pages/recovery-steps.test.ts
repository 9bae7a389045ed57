import { describe, expect, it } from 'vitest';
import { jobPlace, stepsFor } from '../../../../src/renderer/src/pages/recovery/job-steps';
import type { ProgressUpdateEvent } from '../../../../src/shared/events';
import { sampleJob } from '../ota-samples';

const event = (op: string, progress: number): ProgressUpdateEvent => ({
  type: 'progress_update',
  job_id: 'J',
  progress,
  current_operation: op,
  eta: null,
  details: {},
});

describe('recovery jobs: named steps and real progress', () => {
  it('a rollback moves through its steps with the bar, though no bytes move', () => {
    const steps = stepsFor('rollback');
    expect(steps.map((s) => s.label)).toEqual(['Check', 'Switch', 'Reboot', 'Health and commit']);
    const job = (op: string) => sampleJob({ type: 'rollback', current_operation: op });
    expect(jobPlace(steps, job('safety_check'), null)).toEqual({ at: 0, percent: 0 });
    expect(jobPlace(steps, job('updating_bootloader'), null)).toEqual({ at: 1, percent: 25 });
    expect(jobPlace(steps, job('waiting_for_gateway'), null)).toEqual({ at: 2, percent: 50 });
    expect(jobPlace(steps, job('committing'), null)).toEqual({ at: 3, percent: 75 });
  });

  it("a snapshot's bytes fill their own step; a stale event never sends it back", () => {
    const steps = stepsFor('snapshot');
    const job = (op: string) => sampleJob({ type: 'snapshot', current_operation: op });
    expect(jobPlace(steps, job('creating_archive'), event('creating_archive', 50))).toEqual({
      at: 1,
      percent: 37.5,
    });
    // The job moved on to the slot image; the last event still speaks of the archive.
    expect(jobPlace(steps, job('creating_system_image'), event('creating_archive', 100))).toEqual({
      at: 2,
      percent: 50,
    });
    expect(
      jobPlace(
        steps,
        sampleJob({ type: 'snapshot', status: 'success', current_operation: 'completed' }),
        null,
      ),
    ).toEqual({ at: 3, percent: 100 });
  });
});
