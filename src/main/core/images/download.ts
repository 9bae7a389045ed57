import { createWriteStream, existsSync, rmSync, statSync, truncateSync } from 'node:fs';
import { once } from 'node:events';
import { RiggerError } from '../../../shared/errors';
import { sha256File } from '../util/hash';
import { RetryableError, withRetries, type RetryOptions } from '../util/retry';

export interface DownloadTarget {
  url: string;
  dest: string;
  sha256: string;
  size: number;
}

/**
 * Download with HTTP Range so an interrupted transfer resumes where it stopped, retrying with
 * backoff; the whole file must then match the catalog's SHA-256, or it is deleted.
 */
export async function downloadResumable(
  t: DownloadTarget,
  onBytes: (n: number) => void = () => undefined,
  opts: RetryOptions & { timeoutMs?: number } = {},
): Promise<string> {
  const retries = opts.retries ?? 5;
  const sizeNow = () => (existsSync(t.dest) ? statSync(t.dest).size : 0);
  /** One request for what is still missing; a transient failure is retried. */
  const attempt = async () => {
    const have = sizeNow();
    if (have > t.size) truncateSync(t.dest, 0);
    if (have === t.size) return;
    const from = have > t.size ? 0 : have;
    let res: Response;
    try {
      res = await fetch(t.url, {
        headers: from ? { Range: `bytes=${from}-` } : {},
        signal: AbortSignal.timeout(opts.timeoutMs ?? 60_000),
      });
    } catch (err) {
      throw new RetryableError((err as Error).message, err);
    }
    if (res.status === 404 || res.status === 403 || res.status === 410) {
      throw new RiggerError(
        'OTA_009',
        `The update server has no bundle at ${t.url} (HTTP ${res.status})`,
        { url: t.url, status: res.status },
      );
    }
    if (res.status !== 200 && res.status !== 206) {
      const err = new Error(`HTTP ${res.status}`);
      throw new RetryableError(err.message, err);
    }
    // A server that ignores Range sends everything again: start over.
    const append = res.status === 206 && from > 0;
    const file = createWriteStream(t.dest, { flags: append ? 'a' : 'w' });
    let dropped: unknown = null;
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        if (!file.write(chunk)) await once(file, 'drain');
        onBytes(chunk.length);
      }
    } catch (err) {
      dropped = err;
    } finally {
      file.end();
      await once(file, 'close');
    }
    if (dropped) throw new RetryableError((dropped as Error).message, dropped);
    if (sizeNow() !== t.size) {
      const err = new Error(`the server sent ${sizeNow()} of ${t.size} bytes`);
      throw new RetryableError(err.message, err);
    }
  };
  try {
    await withRetries(attempt, { retries, backoffMs: opts.backoffMs });
  } catch (lastError) {
    if (lastError instanceof RiggerError) throw lastError;
    const size = sizeNow();
    throw new RiggerError(
      'OTA_009',
      `The download of ${t.url} did not complete after ${retries + 1} tries (${size} of ${t.size} bytes)`,
      {
        url: t.url,
        received: size,
        expected: t.size,
        cause: String((lastError as Error | null)?.message ?? lastError),
      },
      ['Check the connection and sync again: the download resumes where it stopped'],
    );
  }
  const actual = await sha256File(t.dest);
  if (actual !== t.sha256) {
    rmSync(t.dest, { force: true });
    throw new RiggerError(
      'OTA_007',
      `The downloaded bundle from ${t.url} does not match the catalog's checksum`,
      {
        url: t.url,
        expected: t.sha256,
        actual,
      },
    );
  }
  return t.dest;
}
