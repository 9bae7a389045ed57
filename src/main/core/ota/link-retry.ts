import type { SshSession } from '../gateways/ssh-session';
import { withRetries } from '../util/retry';
import { streamingSession, type OtaDeps } from './context';
import { abortError, isLinkError } from './writer';

/**
 * Run an idempotent gateway command (a read-back, a hash), reconnecting after a dropped link
 * with backoff, at most `writeRetries` times. Other errors pass through at once.
 */
export async function retryOnLink<T>(
  d: OtaDeps,
  gateway: string,
  signal: AbortSignal,
  fn: (session: SshSession) => Promise<T>,
): Promise<T> {
  let session: SshSession | null = null;
  try {
    return await withRetries(
      async () => {
        session = null;
        session = (await streamingSession(d, gateway)).session;
        return await fn(session);
      },
      {
        retries: d.timings.writeRetries,
        backoffMs: 500,
        maxBackoffMs: 10_000,
        signal,
        shouldRetry: (err) => !signal.aborted && isLinkError(err, session),
        onRetry: () => d.gateways.forget(gateway),
      },
    );
  } catch (err) {
    throw signal.aborted ? abortError() : err;
  }
}
