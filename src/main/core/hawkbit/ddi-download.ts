import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { RiggerError } from '../../../shared/errors';
import type { DdiArtifact } from '../../../shared/hawkbit';
import { RetryableError, withRetries } from '../util/retry';
import { open, type HttpOptions } from './ddi-http';

export interface DownloadedArtifact {
  filename: string;
  path: string;
  size: number;
  sha256: string;
}

/** The download link to use: the one on the server's own origin, TLS first. */
export function artifactUrl(a: DdiArtifact, serverOrigin: string): URL {
  const links = [a._links.download?.href, a._links['download-http']?.href].filter(
    (h): h is string => !!h,
  );
  const same = links.map((h) => new URL(h)).find((u) => u.origin === serverOrigin);
  if (!same)
    throw new RiggerError(
      'VALIDATION_ERROR',
      `hawkBit gave no download link on ${serverOrigin} for ${a.filename}`,
      { filename: a.filename, links },
    );
  return same;
}

/** sha1, md5 and sha256 of a file in one read. */
export async function fileHashes(path: string) {
  const hs = { sha1: createHash('sha1'), md5: createHash('md5'), sha256: createHash('sha256') };
  await pipeline(createReadStream(path), async function* (src) {
    for await (const chunk of src as AsyncIterable<Buffer>) {
      hs.sha1.update(chunk);
      hs.md5.update(chunk);
      hs.sha256.update(chunk);
    }
    yield* [];
  });
  return {
    sha1: hs.sha1.digest('hex'),
    md5: hs.md5.digest('hex'),
    sha256: hs.sha256.digest('hex'),
  };
}

/**
 * Fetch one artifact into `dir`, resuming with HTTP Range after a dropped connection, then
 * check every hash hawkBit gave. A file that does not match is deleted and refused (OTA_007).
 */
export async function downloadArtifact(
  a: DdiArtifact,
  dir: string,
  serverOrigin: string,
  http: HttpOptions,
  opts: { retries?: number; backoffMs?: number } = {},
): Promise<DownloadedArtifact> {
  const url = artifactUrl(a, serverOrigin);
  const dest = join(dir, a.filename);
  const have = () => (existsSync(dest) ? statSync(dest).size : 0);
  if (have() > a.size) rmSync(dest);
  const attempt = async () => {
    const from = have();
    if (from === a.size) return;
    const res = await open('GET', url, http, from ? { Range: `bytes=${from}-` } : {}).catch(
      (err: unknown) => {
        throw new RetryableError((err as Error).message, err);
      },
    );
    if (res.statusCode === 401 || res.statusCode === 403 || res.statusCode === 404) {
      res.resume();
      throw new RiggerError(
        'OTA_009',
        `hawkBit refused the artifact ${a.filename} (HTTP ${res.statusCode})`,
        { url: url.href, status: res.statusCode },
      );
    }
    if (res.statusCode !== 200 && res.statusCode !== 206) {
      res.resume();
      throw new RetryableError(`HTTP ${res.statusCode}`, new Error(`HTTP ${res.statusCode}`));
    }
    // A server that ignores Range sends the whole file again.
    const file = createWriteStream(dest, { flags: res.statusCode === 206 && from > 0 ? 'a' : 'w' });
    let written = res.statusCode === 206 ? from : 0;
    let broke: unknown = null;
    try {
      for await (const chunk of res as AsyncIterable<Buffer>) {
        written += chunk.length;
        if (written > a.size) throw new Error(`the server sent more than ${a.size} bytes`);
        if (!file.write(chunk)) await once(file, 'drain');
      }
    } catch (err) {
      broke = err;
    } finally {
      file.end();
      await once(file, 'close');
    }
    if (broke) throw new RetryableError((broke as Error).message, broke);
    if (have() !== a.size) {
      const err = new Error(`the server sent ${have()} of ${a.size} bytes`);
      throw new RetryableError(err.message, err);
    }
  };
  try {
    await withRetries(attempt, { retries: opts.retries ?? 4, backoffMs: opts.backoffMs ?? 200 });
  } catch (err) {
    if (err instanceof RiggerError) throw err;
    throw new RiggerError(
      'OTA_009',
      `The download of ${a.filename} did not complete (${have()} of ${a.size} bytes)`,
      { url: url.href, received: have(), expected: a.size, cause: (err as Error).message },
      ['Sync again: the download resumes where it stopped'],
    );
  }
  const got = await fileHashes(dest);
  const wrong = (['sha1', 'md5', 'sha256'] as const).filter(
    (k) => a.hashes[k] !== undefined && a.hashes[k].toLowerCase() !== got[k],
  );
  if (wrong.length) {
    rmSync(dest, { force: true });
    throw new RiggerError(
      'OTA_007',
      `${a.filename} does not match the ${wrong.join(', ')} hawkBit gave for it`,
      { filename: a.filename, expected: a.hashes, actual: got },
    );
  }
  return { filename: a.filename, path: dest, size: a.size, sha256: got.sha256 };
}
