import { beforeEach, vi } from 'vitest';
import type { UpdateProgress } from '../../../../src/shared/ota';
import { setClient } from '../../../../src/renderer/src/stores/client';
import { useUpdates, type Running } from '../../../../src/renderer/src/stores/updates';
import { FakeApiClient, sampleStatus } from '../fake-api-client';
import { sampleJob, sampleOffer, sampleProgress, sampleSafety } from '../ota-samples';

/** The fake ApiClient of the running test (a new one for each). */
export const t = { fake: new FakeApiClient() };

export const started = {
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

export const installed = {
  status: 'installing' as const,
  installation_id: 'OTA-JOB-1',
  progress: 0,
  current_operation: 'safety_check',
  estimated_completion: null,
  warning: '',
  next_steps: [],
};

export const running = (): Running => useUpdates.getState().running!;

/** Let every answer and event handler waiting run. */
export const settle = () => vi.advanceTimersByTimeAsync(0);

/** What `updates.progress` answers from now on. */
export function progressIs(s: UpdateProgress['status'] | UpdateProgress, jobId = 'OTA-JOB-1') {
  const p = typeof s === 'string' ? sampleProgress(s, null, jobId) : s;
  t.fake.answer('updates.progress', () => p);
}

/**
 * The job reaches a status, as the core tells it: `updates.progress` answers it from now on and
 * the core's event goes out (job_complete at its end, status_change before).
 */
export async function reach(s: UpdateProgress['status'] | UpdateProgress, jobId = 'OTA-JOB-1') {
  progressIs(s, jobId);
  const status = typeof s === 'string' ? s : s.status;
  if (status === 'success' || status === 'failed' || status === 'cancelled') {
    t.fake.emit({ type: 'job_complete', job_id: jobId, status, message: '', details: {} });
  } else {
    t.fake.emit({
      type: 'status_change',
      job_id: jobId,
      system_status: status,
      message: `Job ${jobId}: ${status}`,
      severity: 'info',
      timestamp: '',
      gateway: 'crane-7',
    });
  }
  await settle();
}

/** How often an operation was called. */
export const count = (op: string) => t.fake.calls.filter((c) => c.op === op).length;

/** Check crane-7 and open the preflight for the one offer. */
export async function preflight() {
  t.fake
    .answer('gateways.status', () => sampleStatus())
    .answer('safety.status', () => sampleSafety())
    .answer('settings.get', () => ({ maintenance_window: { enabled: false } }) as never);
  await useUpdates.getState().checkFor('crane-7');
  await useUpdates.getState().prepare(sampleOffer());
}

/** A fresh fake and an empty store before each test; fake timers (nothing may poll). */
export function setUpUpdatesStore() {
  beforeEach(() => {
    vi.useFakeTimers();
    t.fake = new FakeApiClient();
    setClient(t.fake);
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
    t.fake.answer('updates.check', () => ({
      status: 'success',
      updates: [sampleOffer()],
      last_checked: null,
      next_check: null,
      channel: 'stable',
      gateway_version: 'v5.0.4',
      offline: true,
    }));
    t.fake.answer('jobs.get', (i) => sampleJob({ id: i.job_id, status: 'success' }));
    return () => vi.useRealTimers();
  });
}
