import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { JobContext } from '../../../../src/main/core/jobs/engine';
import { watchStall } from '../../../../src/main/core/slots/stall-watch';

// A recording stand-in for the job's context (only `progress` is used): what a write that stops
// moving bytes tells the job's viewers, second by second.
function recorder() {
  const calls: { bytes: number; speed: number; extra?: Record<string, unknown> }[] = [];
  const ctx = {
    progress: (bytes: number, _total: number, speed: number, _pct?: number, extra?: object) =>
      calls.push({ bytes, speed, extra: extra as Record<string, unknown> | undefined }),
  } as unknown as JobContext;
  return { ctx, calls };
}

describe('a write whose link stalls', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('reports speed 0 and how long, then the retry and the byte it resumes at', () => {
    const { ctx, calls } = recorder();
    const w = watchStall(ctx, 1000);
    w.moved(400, 2_500_000);
    expect(calls.at(-1)).toEqual({ bytes: 400, speed: 2_500_000, extra: undefined });
    vi.advanceTimersByTime(1000);
    expect(calls).toHaveLength(1); // one quiet second is not a stall yet
    vi.advanceTimersByTime(2000);
    expect(calls.at(-1)).toEqual({
      bytes: 400,
      speed: 0,
      extra: { stalled_seconds: 3, link_retry: null },
    });
    w.retrying({ attempt: 1, max_attempts: 8, resume_at: 256, error: 'keepalive timeout' });
    expect(calls.at(-1)?.extra).toMatchObject({
      link_retry: { attempt: 1, max_attempts: 8, resume_at: 256 },
    });
    vi.advanceTimersByTime(1000);
    expect(calls.at(-1)).toMatchObject({ speed: 0, extra: { stalled_seconds: 4 } });
    expect(calls.at(-1)?.extra?.link_retry).toMatchObject({ attempt: 1 });

    // Bytes move again: the retry is over, and the stall reports stop.
    w.moved(512, 1_000_000);
    const n = calls.length;
    vi.advanceTimersByTime(1000);
    expect(calls).toHaveLength(n);
    w.stop();
    vi.advanceTimersByTime(10_000);
    expect(calls).toHaveLength(n);
  });
});
