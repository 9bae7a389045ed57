import { describe, expect, it, vi } from 'vitest';
import { RiggerError } from '../../../../src/shared/errors';
import { progressDetails } from '../../../../src/shared/progress-details';
import { useUpdates } from '../../../../src/renderer/src/stores/updates';
import { sampleJob, sampleProgress } from '../ota-samples';
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

/** Start the update of the preflight with these install options; `going` ends with the job. */
async function go(rebootDelay = 0, snapshot = false) {
  const going = useUpdates.getState().install({ rebootDelay, snapshot, outsideWindow: false });
  await settle();
  return { going };
}

describe('updates store: choose → preflight → go', () => {
  it('reads the offers, then the gateway, its signals and the window for the preflight', async () => {
    await preflight();
    const s = useUpdates.getState();
    expect(s.check?.updates[0]?.version).toBe('v5.0.5');
    expect(s.preflight?.status.boot?.booted_slot).toBe('A');
    expect(s.preflight?.safety.update_allowed).toBe(true);
    expect(s.preflight?.window).toMatchObject({ enabled: false, open: true });
  });

  it('writes, installs with the chosen options once verified, and ends committed', async () => {
    await preflight();
    t.fake.answer('updates.download', () => started).answer('updates.install', () => installed);
    progressIs('downloading');
    const { going } = await go(0, true);
    expect(useUpdates.getState().preflight).toBeNull();
    expect(running()).toMatchObject({ jobId: 'OTA-JOB-1', gateway: 'crane-7', outcome: null });
    expect(running().progress?.status).toBe('downloading');
    await reach('downloaded');
    await reach('installing');
    await reach('rebooting');
    await reach('success');
    await going;
    expect(t.fake.calls.filter((c) => c.op === 'updates.install')).toEqual([
      {
        op: 'updates.install',
        input: {
          job_id: 'OTA-JOB-1',
          reboot_delay: 0,
          create_snapshot: true,
          confirm_outside_window: false,
        },
      },
    ]);
    expect(running().outcome).toBe('success');
    expect(running().progress?.status).toBe('success');
  });

  it('moves the bar from progress events without asking the core, and never polls', async () => {
    await preflight();
    t.fake.answer('updates.download', () => started);
    progressIs('downloading');
    await go();
    const reads = count('updates.progress');
    t.fake.emit({
      type: 'progress_update',
      job_id: 'OTA-JOB-1',
      progress: 52.5,
      current_operation: 'writing_image',
      eta: '00:20',
      details: { ...progressDetails(12_600_000, 24_000_000, 2_500_000), elapsed: '00:05' },
    });
    // Another job's progress (an image import) changes nothing here.
    t.fake.emit({
      type: 'progress_update',
      job_id: 'IMG-1',
      progress: 99,
      current_operation: 'copying',
      eta: null,
      details: {},
    });
    expect(running().progress?.progress).toMatchObject({
      percentage: 52.5,
      current_operation: 'writing_image',
      downloaded: '12.6MB',
      total: '24MB',
      speed: '2.5MB/s',
      eta: '00:20',
      elapsed: '00:05',
    });
    await vi.advanceTimersByTimeAsync(30_000);
    expect(count('updates.progress')).toBe(reads);
    // After the event stream came back, what was missed is read once.
    t.fake.resync();
    await settle();
    expect(count('updates.progress')).toBe(reads + 1);
  });

  it('shows the reboot countdown and a safety alert while they matter', async () => {
    await preflight();
    t.fake.answer('updates.download', () => started).answer('updates.install', () => installed);
    progressIs('downloading');
    const { going } = await go(5);
    await reach('paused_safety');
    t.fake.emit({
      type: 'safety_alert',
      constraint: 'crane_motion',
      status: 'moving',
      message: 'crane motion blocks switching on crane-7',
      severity: 'critical',
      action_required: true,
      suggested_action: 'Stop the crane',
    });
    expect(running().alert).toBe('crane motion blocks switching on crane-7');
    await reach('installing');
    expect(running().alert).toBeNull();
    t.fake.emit({
      type: 'system_event',
      event: 'reboot_scheduled',
      message: 'crane-7 reboots in 3 s',
      timestamp: '',
      countdown: 3,
    });
    expect(running().countdown).toBe(3);
    // A new step while it still installs keeps the countdown; the reboot ends it.
    await reach('installing');
    expect(running().countdown).toBe(3);
    await reach('rebooting');
    expect(running().countdown).toBeNull();
    await reach('success');
    await going;
    expect(running()).toMatchObject({ outcome: 'success', countdown: null });
    // Once done, nothing listens any more.
    expect(t.fake.listeners('system_event')).toBe(0);
    expect(t.fake.listeners('safety_alert')).toBe(0);
    expect(t.fake.resyncListeners()).toBe(0);
  });

  it('ends a rollback as failed with the job’s message', async () => {
    await preflight();
    t.fake.answer('updates.download', () => started).answer('updates.install', () => installed);
    t.fake.answer('jobs.get', () =>
      sampleJob({ status: 'failed', error: 'The gateway came back on slot A' }),
    );
    progressIs('downloaded');
    const { going } = await go();
    await reach('installing');
    await reach(
      sampleProgress('failed', {
        code: 'OTA_012',
        details: { rollback: true, booted: 'A', reason: 'new slot failed to boot' },
      }),
    );
    await going;
    expect(running()).toMatchObject({
      outcome: 'failed',
      message: 'The gateway came back on slot A',
    });
  });

  it('an install refused (the window closed meanwhile) keeps the written image waiting', async () => {
    await preflight();
    t.fake.answer('updates.download', () => started);
    t.fake.answer('updates.install', () => {
      throw new RiggerError('OTA_015', 'Outside the maintenance window');
    });
    progressIs('downloaded');
    const { going: first } = await go();
    await reach('downloaded');
    expect(useUpdates.getState().error?.code).toBe('OTA_015');
    expect(running()).toMatchObject({ awaitingInstall: true, outcome: null });
    // Asked once only: the follower now waits for the technician.
    expect(count('updates.install')).toBe(1);

    // The technician confirms outside the window: installed, followed to the end.
    t.fake.answer('updates.install', () => installed);
    progressIs('installing');
    const going = useUpdates
      .getState()
      .installNow({ rebootDelay: 10, snapshot: false, outsideWindow: true });
    await settle();
    await reach('success');
    await going;
    await first;
    const last = t.fake.calls.filter((c) => c.op === 'updates.install').at(-1);
    expect(last?.input).toMatchObject({ confirm_outside_window: true, reboot_delay: 10 });
    expect(running()).toMatchObject({ awaitingInstall: false, outcome: 'success' });
    expect(useUpdates.getState().error).toBeNull();
  });

  it('cancels the running job with cleanup, and shows it cancelled', async () => {
    await preflight();
    t.fake.answer('updates.download', () => started);
    t.fake.answer('jobs.cancel', () => ({
      status: 'cancelled',
      job_id: 'OTA-JOB-1',
      message: 'Job cancelled',
      cleanup_performed: true,
      partial_data_removed: true,
      can_restart: true,
    }));
    t.fake.answer('jobs.get', () => sampleJob({ status: 'cancelled', error: 'Job cancelled' }));
    progressIs('downloading');
    const { going } = await go();
    await useUpdates.getState().cancel();
    expect(t.fake.calls.find((c) => c.op === 'jobs.cancel')?.input).toEqual({
      job_id: 'OTA-JOB-1',
      cleanup: true,
    });
    await reach('cancelled');
    await going;
    expect(running().outcome).toBe('cancelled');
  });

  it('a refused download (say, one write per gateway) is an error, not a run', async () => {
    await preflight();
    t.fake.answer('updates.download', () => {
      throw new RiggerError('OTA_001', 'Another job is writing to crane-7');
    });
    await useUpdates.getState().install({ rebootDelay: 0, snapshot: false, outsideWindow: false });
    expect(useUpdates.getState()).toMatchObject({ running: null, error: { code: 'OTA_001' } });
  });
});
