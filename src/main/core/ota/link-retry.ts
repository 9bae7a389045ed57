import type { SshSession } from '../gateways/ssh-session';
import { pause, streamingSession, type JobFlowDeps } from './context';
import { abortError, isLinkError } from './writer';

/**
 * Run an idempotent gateway command (a read-back, a hash), reconnecting after a dropped link
 * with backoff, at most `writeRetries` times. Other errors pass through at once.
 */
export async function retryOnLink<T>(
  d: JobFlowDeps,
  gateway: string,
  signal: AbortSignal,
  fn: (session: SshSession) => Promise<T>,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    let session: SshSession | null = null;
    try {
      session = (await streamingSession(d, gateway)).session;
      return await fn(session);
    } catch (err) {
      if (signal.aborted) throw abortError();
      if (!isLinkError(err, session) || attempt >= d.timings.writeRetries) throw err;
      d.gateways.forget(gateway);
      await pause(Math.min(10_000, 500 * 2 ** attempt), signal);
    }
  }
}
