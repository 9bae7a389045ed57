import pRetry, { AbortError } from 'p-retry';

/** How often and how patiently to try again. */
export interface RetryOptions {
  /** Tries after the first one. */
  retries?: number;
  /** The wait before the first retry; it doubles for each one after. */
  backoffMs?: number;
  /** The longest wait between two tries. */
  maxBackoffMs?: number;
}

export interface RetryPolicy extends RetryOptions {
  /** Is this failure worth another try? By default only a RetryableError is. */
  shouldRetry?: (err: unknown) => boolean;
  /** Called after a failure that will be tried again, before the wait (which awaits it). */
  onRetry?: (err: unknown) => void | Promise<void>;
  /** Ends the wait between tries: the run then rejects with the signal's reason. */
  signal?: AbortSignal;
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

/**
 * Carries any failure through p-retry unchanged: p-retry rejects non-Error values and gives up at
 * once on a TypeError it does not take for a network error, and neither is its call to make here.
 */
class Failure extends Error {
  constructor(readonly error: unknown) {
    super('a try failed');
  }
}

const isRetryable = (err: unknown) => err instanceof RetryableError;

/**
 * Run `task` (given the 1-based try number) until it succeeds, with exponential backoff between
 * tries, through p-retry. A failure `shouldRetry` refuses ends at once; with no try left, the last
 * failure is thrown (a RetryableError's `final` in its place).
 */
export async function withRetries<T>(
  task: (attempt: number) => Promise<T>,
  policy: RetryPolicy = {},
): Promise<T> {
  const shouldRetry = policy.shouldRetry ?? isRetryable;
  try {
    return await pRetry(
      async (attempt) => {
        try {
          return await task(attempt);
        } catch (err) {
          throw shouldRetry(err) ? new Failure(err) : new AbortError(new Failure(err));
        }
      },
      {
        retries: policy.retries ?? 5,
        minTimeout: policy.backoffMs ?? 250,
        maxTimeout: policy.maxBackoffMs ?? Number.POSITIVE_INFINITY,
        factor: 2,
        randomize: false,
        signal: policy.signal,
        onFailedAttempt: async ({ error, retriesLeft }) => {
          if (retriesLeft > 0 && error instanceof Failure) await policy.onRetry?.(error.error);
        },
      },
    );
  } catch (err) {
    if (!(err instanceof Failure)) throw err;
    throw err.error instanceof RetryableError ? err.error.final : err.error;
  }
}
