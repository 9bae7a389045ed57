import { describe, expect, it } from 'vitest';
import { stallWords } from '../../../../src/renderer/src/pages/updates/StallNotice';
import { useUpdates } from '../../../../src/renderer/src/stores/updates';
import {
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

const progressEvent = (details: Record<string, unknown>, eta: string | null = null) =>
  t.fake.emit({
    type: 'progress_update',
    job_id: 'OTA-JOB-1',
    progress: 8,
    current_operation: 'writing_image',
    eta,
    details: { bytes_done: 1_920_000, bytes_total: 24_000_000, elapsed: '00:09', ...details },
  });

describe('a write whose link died', () => {
  it('shows the stall, then the retry and its resume byte, and forgets both once bytes move', async () => {
    await preflight();
    t.fake.answer('updates.download', () => started);
    progressIs('downloading');
    void useUpdates.getState().install({ rebootDelay: 0, snapshot: false, outsideWindow: false });
    await settle();
    progressEvent({ speed: 2_500_000 }, '00:22');
    await settle();
    expect(running().stall).toBeNull();
    expect(running().progress?.progress.eta).toBe('00:22');

    // The core's stall report: speed 0, no ETA, how long.
    progressEvent({ speed: 0, stalled_seconds: 4, link_retry: null });
    await settle();
    expect(running().stall).toEqual({ seconds: 4, retry: null });
    expect(running().progress?.progress.eta).toBeNull();
    expect(stallWords('crane-7', running().stall!).title).toBe(
      'No data from crane-7 for 4 s · speed 0 B/s',
    );

    const retry = { attempt: 2, max_attempts: 8, resume_at: 1_572_864, error: 'Timed out' };
    progressEvent({ speed: 0, stalled_seconds: 21, link_retry: retry });
    await settle();
    expect(running().stall).toEqual({
      seconds: 21,
      retry: { attempt: 2, maxAttempts: 8, resumeAt: 1_572_864, error: 'Timed out' },
    });
    expect(stallWords('crane-7', running().stall!).doing).toBe(
      'Link lost: retrying 2 of 8, will resume at byte 1,572,864 (1.57 MB).',
    );

    progressEvent({ speed: 1_000_000 }, '00:30');
    await settle();
    expect(running().stall).toBeNull();
  });

  it('a job that ended is not shown as stalled', async () => {
    await preflight();
    t.fake.answer('updates.download', () => started);
    progressIs('downloading');
    void useUpdates.getState().install({ rebootDelay: 0, snapshot: false, outsideWindow: false });
    await settle();
    progressEvent({ speed: 0, stalled_seconds: 30, link_retry: null });
    await settle();
    expect(running().stall).not.toBeNull();
    await reach('failed');
    expect(running().stall).toBeNull();
    expect(running().outcome).toBe('failed');
  });
});
