import { RiggerError } from '../../../shared/errors';
import type { GatewaySession } from '../gateways/session';
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
 * with backoff, at most `retries` times. Other errors pass through at once.
 */
export async function retryOnLink<T>(
  link: SlotLink,
  retries: number,
  signal: AbortSignal,
  fn: (session: GatewaySession) => Promise<T>,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    let session: GatewaySession | null = null;
    try {
      session = (await link.open()).session;
      return await fn(session);
    } catch (err) {
      if (signal.aborted) throw abortError();
      if (!isLinkError(err, session) || attempt >= retries) throw err;
      link.drop();
      await sleep(linkBackoffMs(attempt), signal);
    }
  }
}
