import { describe, expect, it } from 'vitest';
import { RiggerError } from '../../../../src/shared/errors';
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
  t,
} from './updates-setup';

setUpUpdatesStore();

describe('updates store: an update found again', () => {
  it('follows a job still writing on this gateway (after a reload)', async () => {
    t.fake.answer('jobs.list', (i) => {
      expect(i).toMatchObject({ gateway: 'crane-7' });
      return {
        jobs: [sampleJob({ id: 'OTA-JOB-9', status: 'downloading' })],
        summary: { active: 1, pending: 0, completed_today: 0, failed_today: 0 },
      };
    });
    progressIs('downloading', 'OTA-JOB-9');
    await useUpdates.getState().attach('crane-7');
    expect(running()).toMatchObject({ jobId: 'OTA-JOB-9', version: 'v5.0.5', outcome: null });
    await settle();
    expect(running().progress?.status).toBe('downloading');
    // Asking again does not start a second follower.
    await useUpdates.getState().attach('crane-7');
    expect(t.fake.listeners('progress_update')).toBe(1);
    // Another job's status change is not this one's: nothing is read for it.
    const reads = count('updates.progress');
    await reach('installing', 'OTA-JOB-2');
    expect(count('updates.progress')).toBe(reads);
  });

  it('a written image found again waits for the go, then installs', async () => {
    t.fake.answer('jobs.list', () => ({
      jobs: [sampleJob({ status: 'downloaded' })],
      summary: { active: 0, pending: 1, completed_today: 0, failed_today: 0 },
    }));
    progressIs('downloaded');
    await useUpdates.getState().attach('crane-7');
    await settle();
    expect(running().awaitingInstall).toBe(true);
    expect(t.fake.ops()).not.toContain('updates.install');
    t.fake.answer('updates.install', () => installed);
    progressIs('installing');
    const going = useUpdates.getState().installNow();
    await settle();
    await reach('success');
    await going;
    expect(t.fake.calls.find((c) => c.op === 'updates.install')?.input).toMatchObject({
      reboot_delay: 10,
      create_snapshot: false,
      confirm_outside_window: false,
    });
    expect(running().outcome).toBe('success');
  });

  it('a written image cancelled elsewhere (the Jobs page) ends as cancelled here', async () => {
    t.fake.answer('jobs.list', () => ({
      jobs: [sampleJob({ status: 'downloaded' })],
      summary: { active: 0, pending: 1, completed_today: 0, failed_today: 0 },
    }));
    t.fake.answer('jobs.get', () => sampleJob({ status: 'cancelled', error: 'Job cancelled' }));
    progressIs('downloaded');
    await useUpdates.getState().attach('crane-7');
    await settle();
    expect(running().awaitingInstall).toBe(true);
    await reach('cancelled');
    expect(running()).toMatchObject({ awaitingInstall: false, outcome: 'cancelled' });
    expect(t.fake.ops()).not.toContain('updates.install');
  });

  it('offers an interrupted update for resume, and follows it once resumed', async () => {
    const job = sampleJob({ id: 'OTA-JOB-5', status: 'interrupted', resumable: true });
    t.fake.answer('jobs.list', () => ({
      jobs: [job, sampleJob({ id: 'OTA-JOB-4', status: 'success' })],
      summary: { active: 0, pending: 0, completed_today: 1, failed_today: 0 },
    }));
    await useUpdates.getState().attach('crane-7');
    expect(useUpdates.getState()).toMatchObject({
      running: null,
      interrupted: { id: 'OTA-JOB-5' },
    });
    t.fake.answer('jobs.resume', () => ({ ...job, status: 'downloading' }));
    progressIs('downloading', 'OTA-JOB-5');
    void useUpdates.getState().resumeInterrupted();
    await settle();
    await reach('downloaded', 'OTA-JOB-5');
    expect(t.fake.calls.find((c) => c.op === 'jobs.resume')?.input).toEqual({
      job_id: 'OTA-JOB-5',
    });
    expect(useUpdates.getState().interrupted).toBeNull();
    expect(running()).toMatchObject({ jobId: 'OTA-JOB-5', awaitingInstall: true });
  });

  it('nothing going on this gateway: nothing to follow', async () => {
    t.fake.answer('jobs.list', () => ({
      jobs: [sampleJob({ status: 'success' }), sampleJob({ type: 'snapshot', status: 'pending' })],
      summary: { active: 1, pending: 1, completed_today: 1, failed_today: 0 },
    }));
    await useUpdates.getState().attach('crane-7');
    expect(useUpdates.getState()).toMatchObject({ running: null, interrupted: null });
  });

  it('a result dismissed stops its follower', async () => {
    t.fake.answer('jobs.list', () => ({
      jobs: [sampleJob({ status: 'downloading' })],
      summary: { active: 1, pending: 0, completed_today: 0, failed_today: 0 },
    }));
    progressIs('downloading');
    await useUpdates.getState().attach('crane-7');
    await settle();
    expect(t.fake.listeners('status_change')).toBe(1);
    useUpdates.getState().dismiss();
    expect(t.fake.listeners('status_change')).toBe(0);
  });
});

describe('updates store: safety override', () => {
  it('sends the PIN, reason, constraints and duration with the risks acknowledged; reads the signals again', async () => {
    await preflight();
    t.fake.answer('safety.override', () => ({
      status: 'override_enabled',
      override_id: 'OVR-1',
      warning: '',
      duration: 600,
      expires_at: '2026-01-01T10:10:00Z',
      constraints_overridden: ['crane_motion'],
      acknowledgments: { risk_accepted: true, operator: 'local', timestamp: '' },
    }));
    const before = count('safety.status');
    await useUpdates.getState().override({
      pin: '7392',
      reason: 'Crane parked',
      constraints: ['crane_motion'],
      duration: 600,
    });
    expect(t.fake.calls.find((c) => c.op === 'safety.override')?.input).toEqual({
      gateway: 'crane-7',
      pin: '7392',
      reason: 'Crane parked',
      constraints: ['crane_motion'],
      duration: 600,
      acknowledge_risks: true,
    });
    expect(useUpdates.getState().overrideUntil).toBe('2026-01-01T10:10:00Z');
    expect(count('safety.status')).toBe(before + 1);
  });

  it('a wrong PIN rejects for the dialog to show, and changes nothing', async () => {
    await preflight();
    t.fake.answer('safety.override', () => {
      throw new RiggerError('OTA_010', 'Wrong PIN', { attempts_left: 4 });
    });
    await expect(
      useUpdates
        .getState()
        .override({ pin: '0000', reason: 'x y z', constraints: ['crane_motion'], duration: 600 }),
    ).rejects.toMatchObject({ code: 'OTA_010' });
    expect(useUpdates.getState().overrideUntil).toBeNull();
  });
});
