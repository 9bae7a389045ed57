import type { JobContext } from '../jobs/engine';

/** A dropped link being retried, as the job's viewers are told ("retrying 2 of 8 at byte X"). */
export interface LinkRetry {
  attempt: number;
  max_attempts: number;
  /** The byte the write goes on from once the link is back (the newest proven checkpoint). */
  resume_at: number;
  error: string;
}

export interface StallWatch {
  /** Bytes moved: the job's ordinary progress (with `extra` details); a retry in the past is over. */
  moved(bytes: number, speed: number, extra?: Record<string, unknown>): void;
  /** The link dropped and is retried: said at once, and with every stall report after. */
  retrying(retry: LinkRetry): void;
  stop(): void;
}

/** How soon a write that moves no bytes counts as stalled, and how often that is reported. */
const STALL_AFTER_MS = 2000;
const REPORT_EVERY_MS = 1000;

/**
 * Watch a write's bytes: once none moved for STALL_AFTER_MS, report progress every second with
 * speed 0, `stalled_seconds` and the link's retry (null until one starts), so no viewer keeps
 * showing the last speed and ETA while the link is dead (a frozen sshd sends nothing, not even
 * an error, until the SSH keepalive gives up).
 */
export function watchStall(ctx: JobContext, total: number, from = 0): StallWatch {
  let bytes = from;
  let movedAt = Date.now();
  let retry: LinkRetry | null = null;
  const report = () =>
    ctx.progress(bytes, total, 0, undefined, {
      stalled_seconds: Math.floor((Date.now() - movedAt) / 1000),
      link_retry: retry,
    });
  const timer = setInterval(() => {
    if (Date.now() - movedAt >= STALL_AFTER_MS) report();
  }, REPORT_EVERY_MS);
  timer.unref?.();
  return {
    moved(b, speed, extra) {
      if (b !== bytes) {
        bytes = b;
        movedAt = Date.now();
        retry = null;
      }
      ctx.progress(b, total, speed, undefined, extra);
    },
    retrying(r) {
      retry = r;
      report();
    },
    stop: () => clearInterval(timer),
  };
}
