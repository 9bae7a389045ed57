import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RiggerError } from '../../../../src/shared/errors';
import type { History } from '../../../../src/shared/history';
import { setClient } from '../../../../src/renderer/src/stores/client';
import { useHistory } from '../../../../src/renderer/src/stores/history';
import { useJobs } from '../../../../src/renderer/src/stores/jobs';
import { FakeApiClient } from '../fake-api-client';
import { sampleJob } from '../ota-samples';

let fake: FakeApiClient;
const summary = { active: 1, pending: 0, completed_today: 2, failed_today: 1 };

beforeEach(() => {
  fake = new FakeApiClient();
  setClient(fake);
  useJobs.setState({
    jobs: [],
    summary: null,
    filter: 'all',
    gateway: null,
    loaded: false,
    loadError: null,
    error: null,
    notice: null,
  });
  useHistory.setState({ gateway: null, history: null, error: null });
  fake.answer('jobs.list', () => ({ jobs: [sampleJob()], summary }));
});
afterEach(() => {
  vi.useRealTimers();
});

describe('jobs store', () => {
  it('a list that cannot be read is kept apart from a refused action, and cleared by the next read', async () => {
    fake.answer('jobs.list', () => {
      throw new RiggerError('DATA_DIR_UNWRITABLE', 'disk full');
    });
    await useJobs.getState().load();
    expect(useJobs.getState()).toMatchObject({
      loadError: { code: 'DATA_DIR_UNWRITABLE' },
      error: null,
    });
    fake.answer('jobs.list', () => ({ jobs: [], summary }));
    await useJobs.getState().load();
    expect(useJobs.getState().loadError).toBeNull();
  });

  it('lists every job with the summary', async () => {
    await useJobs.getState().load();
    expect(fake.calls[0]?.input).toEqual({ limit: 100 });
    expect(useJobs.getState()).toMatchObject({
      loaded: true,
      summary,
      jobs: [{ id: 'OTA-JOB-1' }],
    });
  });

  it('asks the core for one status and one gateway when filtered', async () => {
    await useJobs.getState().setFilter('interrupted');
    await useJobs.getState().setGateway('crane-7');
    expect(fake.calls.at(-1)?.input).toEqual({
      limit: 100,
      status: 'interrupted',
      gateway: 'crane-7',
    });
    await useJobs.getState().setGateway(null);
    await useJobs.getState().setFilter('all');
    expect(fake.calls.at(-1)?.input).toEqual({ limit: 100 });
  });

  it('cancels with cleanup and says what the cancel did', async () => {
    fake.answer('jobs.cancel', () => ({
      status: 'cancelled',
      job_id: 'OTA-JOB-1',
      message: 'Job OTA-JOB-1 cancelled',
      cleanup_performed: true,
      partial_data_removed: true,
      can_restart: true,
    }));
    await useJobs.getState().cancel('OTA-JOB-1', true);
    expect(fake.calls.find((c) => c.op === 'jobs.cancel')?.input).toEqual({
      job_id: 'OTA-JOB-1',
      cleanup: true,
    });
    expect(useJobs.getState().notice).toBe(
      'Job OTA-JOB-1 cancelled. The slot being written was left unbootable and its record removed. The image can be written again.',
    );
    expect(fake.ops().at(-1)).toBe('jobs.list');
  });

  it('resumes an interrupted job; a refusal is shown as error data', async () => {
    fake.answer('jobs.resume', () => sampleJob({ status: 'downloading' }));
    await useJobs.getState().resume('OTA-JOB-1');
    expect(useJobs.getState().notice).toMatch(/OTA-JOB-1 resumed/);
    fake.answer('jobs.resume', () => {
      throw new RiggerError('OTA_013', 'Job OTA-JOB-1 is success and cannot be resumed');
    });
    await useJobs.getState().resume('OTA-JOB-1');
    expect(useJobs.getState().error).toMatchObject({ code: 'OTA_013' });
  });

  it('stays live while watched: job events reload the list; unwatching stops it', async () => {
    vi.useFakeTimers();
    const stop = useJobs.getState().watch();
    await vi.advanceTimersByTimeAsync(0);
    const n = fake.ops().length;
    fake.emit({
      type: 'job_complete',
      job_id: 'OTA-JOB-1',
      status: 'success',
      message: 'done',
      details: {},
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(fake.ops().length).toBe(n + 1);
    stop();
    expect(fake.listeners('job_complete')).toBe(0);
    expect(fake.listeners('progress_update')).toBe(0);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fake.ops().length).toBe(n + 1);
  });

  it('moves a listed job’s bar from its progress events without asking the core', async () => {
    vi.useFakeTimers();
    const stop = useJobs.getState().watch();
    await vi.advanceTimersByTimeAsync(0);
    const n = fake.ops().length;
    fake.emit({
      type: 'progress_update',
      job_id: 'OTA-JOB-1',
      progress: 63.5,
      current_operation: 'verifying_written_slot',
      eta: '01:40',
      details: {},
    });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(fake.ops().length).toBe(n);
    const job = useJobs.getState().jobs[0]!;
    expect(job).toMatchObject({ progress: 63.5, current_operation: 'verifying_written_slot' });
    expect(job.estimated_completion).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    stop();
  });

  it('reads the list once for a job it does not show, and after the event stream came back', async () => {
    vi.useFakeTimers();
    const stop = useJobs.getState().watch();
    await vi.advanceTimersByTimeAsync(0);
    const n = fake.ops().length;
    const progress = (job_id: string) =>
      fake.emit({
        type: 'progress_update',
        job_id,
        progress: 1,
        current_operation: 'copying',
        eta: null,
        details: {},
      });
    // An image import's progress is no listed job: one read, then it is left alone.
    progress('IMG-1');
    await vi.advanceTimersByTimeAsync(0);
    progress('IMG-1');
    progress('IMG-1');
    await vi.advanceTimersByTimeAsync(0);
    expect(fake.ops().length).toBe(n + 1);
    fake.resync();
    await vi.advanceTimersByTimeAsync(0);
    expect(fake.ops().length).toBe(n + 2);
    stop();
    expect(fake.resyncListeners()).toBe(0);
  });

  it('reads a listed job alone when its step changes, and the list when its status does', async () => {
    vi.useFakeTimers();
    const stop = useJobs.getState().watch();
    await vi.advanceTimersByTimeAsync(0);
    fake.answer('jobs.get', () => sampleJob({ current_operation: 'verifying_written_slot' }));
    const change = (system_status: string) =>
      fake.emit({
        type: 'status_change',
        job_id: 'OTA-JOB-1',
        system_status,
        message: '',
        severity: 'info',
        timestamp: '',
        gateway: 'crane-7',
      });
    const n = fake.ops().length;
    change('downloading');
    await vi.advanceTimersByTimeAsync(0);
    expect(fake.ops().slice(n)).toEqual(['jobs.get']);
    expect(useJobs.getState().jobs[0]?.current_operation).toBe('verifying_written_slot');
    change('downloaded');
    await vi.advanceTimersByTimeAsync(0);
    expect(fake.ops().slice(n)).toEqual(['jobs.get', 'jobs.list']);
    stop();
  });
});

const history: History = {
  history: [],
  statistics: {
    total_updates: 2,
    success_rate: '50%',
    average_duration: '1m',
    last_success: '2026-01-01',
    last_failure: '2026-01-02',
  },
} as unknown as History;

describe('history store', () => {
  it('reads one gateway’s history, or every gateway’s', async () => {
    fake.answer('history.updates', () => history);
    await useHistory.getState().load('crane-7');
    expect(fake.calls.at(-1)?.input).toEqual({ limit: 100, gateway: 'crane-7' });
    expect(useHistory.getState()).toMatchObject({ gateway: 'crane-7', history });
    await useHistory.getState().load(null);
    expect(fake.calls.at(-1)?.input).toEqual({ limit: 100 });
  });

  it('keeps a failure as error data', async () => {
    fake.answer('history.updates', () => {
      throw new RiggerError('NOT_FOUND', 'No gateway named x');
    });
    await useHistory.getState().load('x');
    expect(useHistory.getState().error).toMatchObject({ code: 'NOT_FOUND' });
  });
});
