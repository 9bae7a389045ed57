import { describe, expect, it } from 'vitest';
import { useUpdates } from '../../../../src/renderer/src/stores/updates';
import { sampleJob } from '../ota-samples';
import {
  count,
  installed,
  preflight,
  progressIs,
  reach,
  running,
  settle,
  setUpUpdatesStore,
  started,
  t,
} from './updates-setup';

setUpUpdatesStore();

describe('resume from the failure', () => {
  it('a failed write the core can resume offers Resume; the resumed job installs as asked', async () => {
    await preflight();
    t.fake.answer('updates.download', () => started).answer('updates.install', () => installed);
    t.fake.answer('jobs.get', (i) =>
      sampleJob({
        id: i.job_id,
        status: 'failed',
        resumable: true,
        error: 'The link kept dropping',
      }),
    );
    progressIs('downloading');
    void useUpdates.getState().install({ rebootDelay: 5, snapshot: true, outsideWindow: false });
    await settle();
    await reach('failed');
    expect(running()).toMatchObject({ outcome: 'failed', resumable: true });
    const failedRun = running().runId;

    t.fake.answer('jobs.resume', (i) => sampleJob({ id: i.job_id, status: 'downloading' }));
    progressIs('downloading');
    void useUpdates.getState().resumeFailed();
    await settle();
    expect(t.fake.calls.filter((c) => c.op === 'jobs.resume')).toEqual([
      { op: 'jobs.resume', input: { job_id: 'OTA-JOB-1' } },
    ]);
    expect(running().runId).not.toBe(failedRun);
    expect(running()).toMatchObject({ outcome: null, jobId: 'OTA-JOB-1' });

    // Written and verified again: it goes on to install with the options first asked for.
    await reach('downloaded');
    expect(t.fake.calls.filter((c) => c.op === 'updates.install')).toEqual([
      {
        op: 'updates.install',
        input: {
          job_id: 'OTA-JOB-1',
          reboot_delay: 5,
          create_snapshot: true,
          confirm_outside_window: false,
        },
      },
    ]);
  });

  it('a job that cannot be resumed offers no Resume, and resumeFailed asks nothing', async () => {
    await preflight();
    t.fake.answer('updates.download', () => started);
    t.fake.answer('jobs.get', (i) => sampleJob({ id: i.job_id, status: 'failed' }));
    progressIs('downloading');
    void useUpdates.getState().install({ rebootDelay: 0, snapshot: false, outsideWindow: false });
    await settle();
    await reach('failed');
    expect(running()).toMatchObject({ outcome: 'failed', resumable: false });
    await useUpdates.getState().resumeFailed();
    expect(count('jobs.resume')).toBe(0);
  });
});
