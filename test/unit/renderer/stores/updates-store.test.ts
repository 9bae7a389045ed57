import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RiggerError } from '../../../../src/shared/errors';
import type { UpdateProgress } from '../../../../src/shared/ota';
import { setClient } from '../../../../src/renderer/src/stores/client';
import { useUpdates, type Running } from '../../../../src/renderer/src/stores/updates';
import { FakeApiClient, sampleStatus } from '../fake-api-client';
import { sampleJob, sampleOffer, sampleProgress, sampleSafety } from '../ota-samples';

let fake: FakeApiClient;

/** Answer `updates.progress` with these statuses in turn, the last one from then on. */
function progressSequence(...statuses: Array<UpdateProgress['status'] | UpdateProgress>) {
  let i = 0;
  fake.answer('updates.progress', () => {
    const s = statuses[Math.min(i++, statuses.length - 1)]!;
    return typeof s === 'string' ? sampleProgress(s) : s;
  });
}

const started = {
  status: 'started' as const,
  job_id: 'OTA-JOB-1',
  update: {
    id: 'univa-gw-pro-v5.0.5',
    version: 'v5.0.5',
    size: 24,
    size_unit: 'MB' as const,
    type: null,
    severity: null,
  },
  target_partition: 'B' as const,
  estimated_time: null,
  download_speed_limit: 0,
  resumable: true,
  cancelable: true,
};

const installed = {
  status: 'installing' as const,
  installation_id: 'OTA-JOB-1',
  progress: 0,
  current_operation: 'safety_check',
  estimated_completion: null,
  warning: '',
  next_steps: [],
};

/** Let the store's poll loop run `n` rounds. */
async function rounds(n: number) {
  for (let i = 0; i < n; i++) await vi.advanceTimersByTimeAsync(1000);
}

const running = (): Running => useUpdates.getState().running!;

beforeEach(() => {
  vi.useFakeTimers();
  fake = new FakeApiClient();
  setClient(fake);
  useUpdates.setState({
    gateway: null,
    check: null,
    checking: false,
    preflight: null,
    running: null,
    interrupted: null,
    overrideUntil: null,
    error: null,
  });
  fake.answer('updates.check', () => ({
    status: 'success',
    updates: [sampleOffer()],
    last_checked: null,
    next_check: null,
    channel: 'stable',
    gateway_version: 'v5.0.4',
    offline: true,
  }));
  fake.answer('jobs.get', (i) => sampleJob({ id: i.job_id, status: 'success' }));
});
afterEach(() => {
  vi.useRealTimers();
});

/** Check crane-7 and open the preflight for the one offer. */
async function preflight() {
  fake
    .answer('gateways.status', () => sampleStatus())
    .answer('safety.status', () => sampleSafety())
    .answer('settings.get', () => ({ maintenance_window: { enabled: false } }) as never);
  await useUpdates.getState().checkFor('crane-7');
  await useUpdates.getState().prepare(sampleOffer());
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
    fake.answer('updates.download', () => started).answer('updates.install', () => installed);
    progressSequence('downloading', 'downloaded', 'installing', 'rebooting', 'success');
    const going = useUpdates
      .getState()
      .install({ rebootDelay: 0, snapshot: true, outsideWindow: false });
    await vi.advanceTimersByTimeAsync(0);
    expect(useUpdates.getState().preflight).toBeNull();
    expect(running()).toMatchObject({ jobId: 'OTA-JOB-1', gateway: 'crane-7', outcome: null });
    await rounds(5);
    await going;
    expect(fake.calls.filter((c) => c.op === 'updates.install')).toEqual([
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

  it('shows the reboot countdown and a safety alert while they matter', async () => {
    await preflight();
    fake.answer('updates.download', () => started).answer('updates.install', () => installed);
    progressSequence(
      'downloading',
      'paused_safety',
      'installing',
      'installing',
      'rebooting',
      'success',
    );
    const going = useUpdates
      .getState()
      .install({ rebootDelay: 5, snapshot: false, outsideWindow: false });
    await vi.advanceTimersByTimeAsync(0);
    await rounds(1);
    fake.emit({
      type: 'safety_alert',
      constraint: 'crane_motion',
      status: 'moving',
      message: 'crane motion blocks switching on crane-7',
      severity: 'critical',
      action_required: true,
      suggested_action: 'Stop the crane',
    });
    expect(running().alert).toBe('crane motion blocks switching on crane-7');
    await rounds(1);
    expect(running().alert).toBeNull();
    fake.emit({
      type: 'system_event',
      event: 'reboot_countdown',
      message: 'crane-7 reboots in 3 s',
      timestamp: '',
      countdown: 3,
    });
    expect(running().countdown).toBe(3);
    // Polls while it still installs keep the countdown; the reboot ends it.
    await rounds(1);
    expect(running().countdown).toBe(3);
    await rounds(1);
    expect(running().countdown).toBeNull();
    await rounds(1);
    await going;
    expect(running()).toMatchObject({ outcome: 'success', countdown: null });
    // Once done, nothing listens any more.
    expect(fake.listeners('system_event')).toBe(0);
    expect(fake.listeners('safety_alert')).toBe(0);
  });

  it('ends a rollback as failed with the job’s message', async () => {
    await preflight();
    fake.answer('updates.download', () => started).answer('updates.install', () => installed);
    fake.answer('jobs.get', () =>
      sampleJob({ status: 'failed', error: 'The gateway came back on slot A' }),
    );
    const back = sampleProgress('failed', {
      code: 'OTA_012',
      details: { rollback: true, booted: 'A', reason: 'new slot failed to boot' },
    });
    progressSequence('downloaded', 'installing', back);
    const going = useUpdates
      .getState()
      .install({ rebootDelay: 0, snapshot: false, outsideWindow: false });
    await rounds(3);
    await going;
    expect(running()).toMatchObject({
      outcome: 'failed',
      message: 'The gateway came back on slot A',
    });
  });

  it('an install refused (the window closed meanwhile) keeps the written image waiting', async () => {
    await preflight();
    fake.answer('updates.download', () => started);
    fake.answer('updates.install', () => {
      throw new RiggerError('OTA_015', 'Outside the maintenance window');
    });
    progressSequence('downloaded');
    const first = useUpdates
      .getState()
      .install({ rebootDelay: 0, snapshot: false, outsideWindow: false });
    await rounds(2);
    expect(useUpdates.getState().error?.code).toBe('OTA_015');
    expect(running()).toMatchObject({ awaitingInstall: true, outcome: null });
    // Asked once only: the follower now waits for the technician.
    expect(fake.calls.filter((c) => c.op === 'updates.install')).toHaveLength(1);

    // The technician confirms outside the window: installed, followed to the end.
    fake.answer('updates.install', () => installed);
    progressSequence('installing', 'success');
    const going = useUpdates
      .getState()
      .installNow({ rebootDelay: 10, snapshot: false, outsideWindow: true });
    await rounds(2);
    await going;
    await first;
    const last = fake.calls.filter((c) => c.op === 'updates.install').at(-1);
    expect(last?.input).toMatchObject({ confirm_outside_window: true, reboot_delay: 10 });
    expect(running()).toMatchObject({ awaitingInstall: false, outcome: 'success' });
    expect(useUpdates.getState().error).toBeNull();
  });

  it('cancels the running job with cleanup, and shows it cancelled', async () => {
    await preflight();
    fake.answer('updates.download', () => started);
    fake.answer('jobs.cancel', () => ({
      status: 'cancelled',
      job_id: 'OTA-JOB-1',
      message: 'Job cancelled',
      cleanup_performed: true,
      partial_data_removed: true,
      can_restart: true,
    }));
    fake.answer('jobs.get', () => sampleJob({ status: 'cancelled', error: 'Job cancelled' }));
    progressSequence('downloading', 'downloading', 'cancelled');
    const going = useUpdates
      .getState()
      .install({ rebootDelay: 0, snapshot: false, outsideWindow: false });
    await rounds(1);
    await useUpdates.getState().cancel();
    expect(fake.calls.find((c) => c.op === 'jobs.cancel')?.input).toEqual({
      job_id: 'OTA-JOB-1',
      cleanup: true,
    });
    await rounds(2);
    await going;
    expect(running().outcome).toBe('cancelled');
  });

  it('a refused download (say, one write per gateway) is an error, not a run', async () => {
    await preflight();
    fake.answer('updates.download', () => {
      throw new RiggerError('OTA_001', 'Another job is writing to crane-7');
    });
    await useUpdates.getState().install({ rebootDelay: 0, snapshot: false, outsideWindow: false });
    expect(useUpdates.getState()).toMatchObject({ running: null, error: { code: 'OTA_001' } });
  });
});

describe('updates store: an update found again', () => {
  it('follows a job still writing on this gateway (after a reload)', async () => {
    fake.answer('jobs.list', (i) => {
      expect(i).toMatchObject({ gateway: 'crane-7' });
      return {
        jobs: [sampleJob({ id: 'OTA-JOB-9', status: 'downloading' })],
        summary: { active: 1, pending: 0, completed_today: 0, failed_today: 0 },
      };
    });
    progressSequence('downloading');
    await useUpdates.getState().attach('crane-7');
    expect(running()).toMatchObject({ jobId: 'OTA-JOB-9', version: 'v5.0.5', outcome: null });
    await rounds(1);
    expect(running().progress?.status).toBe('downloading');
    // Asking again does not start a second follower.
    await useUpdates.getState().attach('crane-7');
    expect(fake.listeners('progress_update')).toBe(1);
  });

  it('a written image found again waits for the go, then installs', async () => {
    fake.answer('jobs.list', () => ({
      jobs: [sampleJob({ status: 'downloaded' })],
      summary: { active: 0, pending: 1, completed_today: 0, failed_today: 0 },
    }));
    progressSequence('downloaded');
    await useUpdates.getState().attach('crane-7');
    await rounds(1);
    expect(running().awaitingInstall).toBe(true);
    expect(fake.ops()).not.toContain('updates.install');
    fake.answer('updates.install', () => installed);
    progressSequence('installing', 'success');
    const going = useUpdates.getState().installNow();
    await rounds(2);
    await going;
    expect(fake.calls.find((c) => c.op === 'updates.install')?.input).toMatchObject({
      reboot_delay: 10,
      create_snapshot: false,
      confirm_outside_window: false,
    });
    expect(running().outcome).toBe('success');
  });

  it('a written image cancelled elsewhere (the Jobs page) ends as cancelled here', async () => {
    fake.answer('jobs.list', () => ({
      jobs: [sampleJob({ status: 'downloaded' })],
      summary: { active: 0, pending: 1, completed_today: 0, failed_today: 0 },
    }));
    fake.answer('jobs.get', () => sampleJob({ status: 'cancelled', error: 'Job cancelled' }));
    progressSequence('downloaded', 'downloaded', 'cancelled');
    await useUpdates.getState().attach('crane-7');
    await rounds(1);
    expect(running().awaitingInstall).toBe(true);
    await rounds(2);
    expect(running()).toMatchObject({ awaitingInstall: false, outcome: 'cancelled' });
    expect(fake.ops()).not.toContain('updates.install');
  });

  it('offers an interrupted update for resume, and follows it once resumed', async () => {
    const job = sampleJob({ id: 'OTA-JOB-5', status: 'interrupted', resumable: true });
    fake.answer('jobs.list', () => ({
      jobs: [job, sampleJob({ id: 'OTA-JOB-4', status: 'success' })],
      summary: { active: 0, pending: 0, completed_today: 1, failed_today: 0 },
    }));
    await useUpdates.getState().attach('crane-7');
    expect(useUpdates.getState()).toMatchObject({
      running: null,
      interrupted: { id: 'OTA-JOB-5' },
    });
    fake.answer('jobs.resume', () => ({ ...job, status: 'downloading' }));
    progressSequence('downloading', 'downloaded');
    void useUpdates.getState().resumeInterrupted();
    await rounds(2);
    expect(fake.calls.find((c) => c.op === 'jobs.resume')?.input).toEqual({ job_id: 'OTA-JOB-5' });
    expect(useUpdates.getState().interrupted).toBeNull();
    expect(running()).toMatchObject({ jobId: 'OTA-JOB-5', awaitingInstall: true });
  });

  it('nothing going on this gateway: nothing to follow', async () => {
    fake.answer('jobs.list', () => ({
      jobs: [sampleJob({ status: 'success' }), sampleJob({ type: 'snapshot', status: 'pending' })],
      summary: { active: 1, pending: 1, completed_today: 1, failed_today: 0 },
    }));
    await useUpdates.getState().attach('crane-7');
    expect(useUpdates.getState()).toMatchObject({ running: null, interrupted: null });
  });
});

describe('updates store: safety override', () => {
  it('sends the PIN, reason, constraints and duration with the risks acknowledged; reads the signals again', async () => {
    await preflight();
    fake.answer('safety.override', () => ({
      status: 'override_enabled',
      override_id: 'OVR-1',
      warning: '',
      duration: 600,
      expires_at: '2026-01-01T10:10:00Z',
      constraints_overridden: ['crane_motion'],
      acknowledgments: { risk_accepted: true, operator: 'local', timestamp: '' },
    }));
    const before = fake.calls.filter((c) => c.op === 'safety.status').length;
    await useUpdates.getState().override({
      pin: '7392',
      reason: 'Crane parked',
      constraints: ['crane_motion'],
      duration: 600,
    });
    expect(fake.calls.find((c) => c.op === 'safety.override')?.input).toEqual({
      gateway: 'crane-7',
      pin: '7392',
      reason: 'Crane parked',
      constraints: ['crane_motion'],
      duration: 600,
      acknowledge_risks: true,
    });
    expect(useUpdates.getState().overrideUntil).toBe('2026-01-01T10:10:00Z');
    expect(fake.calls.filter((c) => c.op === 'safety.status').length).toBe(before + 1);
  });

  it('a wrong PIN rejects for the dialog to show, and changes nothing', async () => {
    await preflight();
    fake.answer('safety.override', () => {
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
