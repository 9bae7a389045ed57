import { RiggerError } from '../../../shared/errors';
import type { GatewaySession } from '../gateways/session';
import { withRetries } from '../util/retry';
import type { SlotLink } from './contract';

/** The error a cancelled job's write ends with. */
export const abortError = () =>
  new RiggerError('OTA_013', 'The job was cancelled', { cancelled: true }, []);

/** Did this error come from the link (dropped, timed out) rather than from the gateway's answer? */
export const isLinkError = (err: unknown, session: GatewaySession | null) =>
  session?.closed === true ||
  (err instanceof RiggerError &&
    (err.code === 'HOST_UNREACHABLE' || err.code === 'COMMAND_TIMEOUT'));

/** The wait before retry number `attempt` after a dropped link. */
export const linkBackoffMs = (attempt: number) => Math.min(10_000, 500 * 2 ** attempt);

/** Sleep, ending early (without throwing) when the signal aborts. */
export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

/**
 * Run an idempotent gateway command (a read-back, a hash), reconnecting after a dropped link
 * with backoff (500 ms doubling, at most 10 s), at most `retries` times. Other errors pass
 * through at once. `onRetry` hears each retry's number (1-based) and why, before its wait.
 */
export async function retryOnLink<T>(
  link: SlotLink,
  retries: number,
  signal: AbortSignal,
  fn: (session: GatewaySession) => Promise<T>,
  onRetry?: (attempt: number, err: unknown) => void,
): Promise<T> {
  let session: GatewaySession | null = null;
  let attempt = 0;
  try {
    return await withRetries(
      async () => {
        session = null;
        session = (await link.open()).session;
        return await fn(session);
      },
      {
        retries,
        backoffMs: 500,
        maxBackoffMs: 10_000,
        signal,
        shouldRetry: (err) => !signal.aborted && isLinkError(err, session),
        onRetry: (err) => {
          link.drop();
          onRetry?.(++attempt, err);
        },
      },
    );
  } catch (err) {
    throw signal.aborted ? abortError() : err;
  }
}
