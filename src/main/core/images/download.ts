import { createHash } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  rmSync,
  statSync,
  truncateSync,
} from 'node:fs';
import { once } from 'node:events';
import { RiggerError } from '../../../shared/errors';

export interface DownloadTarget {
  url: string;
  dest: string;
  sha256: string;
  size: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const c of createReadStream(path)) h.update(c as Buffer);
  return h.digest('hex');
}

/**
 * Download with HTTP Range so an interrupted transfer resumes where it stopped, retrying with
 * backoff; the whole file must then match the catalog's SHA-256, or it is deleted.
 */
export async function downloadResumable(
  t: DownloadTarget,
  onBytes: (n: number) => void = () => undefined,
  opts: { retries?: number; backoffMs?: number; timeoutMs?: number } = {},
): Promise<string> {
  const retries = opts.retries ?? 5;
  let lastError: unknown = null;
  for (let attempt = 0; attempt <= retries; attempt++) {
    if (attempt > 0) await sleep((opts.backoffMs ?? 250) * 2 ** (attempt - 1));
    const have = existsSync(t.dest) ? statSync(t.dest).size : 0;
    if (have > t.size) truncateSync(t.dest, 0);
    if (have === t.size) break;
    let res: Response;
    try {
      res = await fetch(t.url, {
        headers: have ? { Range: `bytes=${have}-` } : {},
        signal: AbortSignal.timeout(opts.timeoutMs ?? 60_000),
      });
    } catch (err) {
      lastError = err;
      continue;
    }
    if (res.status === 404 || res.status === 403 || res.status === 410) {
      throw new RiggerError(
        'OTA_009',
        `The update server has no bundle at ${t.url} (HTTP ${res.status})`,
        { url: t.url, status: res.status },
      );
    }
    if (res.status !== 200 && res.status !== 206) {
      lastError = new Error(`HTTP ${res.status}`);
      continue;
    }
    // A server that ignores Range sends everything again: start over.
    const append = res.status === 206 && have > 0;
    const file = createWriteStream(t.dest, { flags: append ? 'a' : 'w' });
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        if (!file.write(chunk)) await once(file, 'drain');
        onBytes(chunk.length);
      }
    } catch (err) {
      lastError = err;
    } finally {
      file.end();
      await once(file, 'close');
    }
  }
  const size = existsSync(t.dest) ? statSync(t.dest).size : 0;
  if (size !== t.size) {
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
