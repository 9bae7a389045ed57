/** Retries with exponential backoff, shared by the catalog fetch and bundle downloads. */

export interface RetryOptions {
  /** Tries after the first one. */
  retries?: number;
  /** The wait before the first retry; it doubles for each one after. */
  backoffMs?: number;
}

/**
 * A failure worth another try (the link dropped, the server was briefly unwell). `final` is what
 * to throw if no try is left.
 */
export class RetryableError extends Error {
  constructor(
    message: string,
    readonly final: unknown,
  ) {
    super(message);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The wait before retry number `retry` (1-based): backoffMs, 2x, 4x, ... */
export const backoffDelay = (retry: number, backoffMs: number) => backoffMs * 2 ** (retry - 1);

/**
 * Run `task` until it succeeds, retrying (with backoff) only a RetryableError; any other error
 * ends at once. With no try left, the last RetryableError's `final` is thrown.
 */
export async function withRetries<T>(
  task: (attempt: number) => Promise<T>,
  opts: RetryOptions = {},
): Promise<T> {
  const retries = opts.retries ?? 5;
  const backoffMs = opts.backoffMs ?? 250;
  for (let attempt = 0; ; attempt++) {
    if (attempt > 0) await sleep(backoffDelay(attempt, backoffMs));
    try {
      return await task(attempt);
    } catch (err) {
      if (!(err instanceof RetryableError)) throw err;
      if (attempt >= retries) throw err.final;
    }
  }
}
