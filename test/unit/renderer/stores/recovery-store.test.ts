import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setClient } from '../../../../src/renderer/src/stores/client';
import { useRecovery } from '../../../../src/renderer/src/stores/recovery';
import { FakeApiClient } from '../fake-api-client';
import { sampleJob } from '../ota-samples';

let fake: FakeApiClient;
const count = (op: string) => fake.calls.filter((c) => c.op === op).length;

beforeEach(() => {
  vi.useFakeTimers();
  fake = new FakeApiClient();
  setClient(fake);
  useRecovery.setState({
    gateway: 'crane-7',
    status: null,
    loading: false,
    error: null,
    running: null,
    ended: null,
  });
  fake.answer('recovery.rollback', () => ({
    status: 'rolling_back',
    action: 'switch_to_partition_b',
    rollback_id: 'RB-1',
    from_version: 'v5.0.4',
    to_version: 'v5.0.3',
    estimated_time: null,
    warning: '',
    data_preserved: true,
    diagnostic_report_id: null,
  }));
  fake.answer('recovery.status', () => ({}) as never);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('recovery store: a job followed by its events', () => {
  it('moves with progress events, reads the job on a status change and at its end, never polls', async () => {
    fake.answer('jobs.get', () =>
      sampleJob({ id: 'RB-1', type: 'rollback', status: 'installing' }),
    );
    const done = useRecovery.getState().rollback('slot B failed');
    await vi.advanceTimersByTimeAsync(0);
    expect(useRecovery.getState().running).toMatchObject({ id: 'RB-1', label: 'Rolling back' });
    expect(count('jobs.get')).toBe(1);
    fake.emit({
      type: 'progress_update',
      job_id: 'RB-1',
      progress: 40,
      current_operation: 'updating_bootloader',
      eta: null,
      details: {},
    });
    expect(useRecovery.getState().running?.progress?.progress).toBe(40);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(count('jobs.get')).toBe(1);

    // Another job's change is not read; this one's is.
    const change = (job_id: string) =>
      fake.emit({
        type: 'status_change',
        job_id,
        system_status: 'rebooting',
        message: '',
        severity: 'info',
        timestamp: '',
        gateway: 'crane-7',
      });
    change('OTA-JOB-3');
    change('RB-1');
    await vi.advanceTimersByTimeAsync(0);
    expect(count('jobs.get')).toBe(2);

    fake.answer('jobs.get', () => sampleJob({ id: 'RB-1', type: 'rollback', status: 'success' }));
    fake.emit({
      type: 'job_complete',
      job_id: 'RB-1',
      status: 'success',
      message: '',
      details: {},
    });
    await done;
    expect(useRecovery.getState()).toMatchObject({
      running: null,
      ended: { id: 'RB-1', job: { status: 'success' } },
    });
    // Ended: nothing listens, and the gateway's recovery state is read again.
    expect(fake.listeners('progress_update')).toBe(0);
    expect(fake.resyncListeners()).toBe(0);
    expect(fake.ops().at(-1)).toBe('recovery.status');
  });

  it('reads the job again when the event stream comes back after a drop', async () => {
    fake.answer('jobs.get', () =>
      sampleJob({ id: 'RB-1', type: 'rollback', status: 'installing' }),
    );
    const done = useRecovery.getState().rollback('slot B failed');
    await vi.advanceTimersByTimeAsync(0);
    fake.answer('jobs.get', () => sampleJob({ id: 'RB-1', type: 'rollback', status: 'failed' }));
    fake.resync();
    await done;
    expect(useRecovery.getState().ended?.job?.status).toBe('failed');
  });
});
