import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type { Readable, Writable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { RiggerError } from '../../../shared/errors';
import type { BlobStore } from './blob-store';

/** Resolve when a stream can take more (or is finished); reject on its error. Leaves no listeners. */
function writable(s: Writable | NodeJS.ReadWriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    // A stream that already failed or closed will send nothing more.
    if ((s as Writable).destroyed) return resolve();
    const off = () => {
      s.off('drain', ok);
      s.off('close', ok);
      s.off('end', ok);
      s.off('error', fail);
    };
    const ok = () => (off(), resolve());
    const fail = (e: Error) => (off(), reject(e));
    s.on('drain', ok);
    s.on('close', ok);
    s.on('end', ok);
    s.on('error', fail);
  });
}

/** What an image may take: bytes stored (written) and bytes after decompression (hashed). */
export interface IngestBounds {
  stored?: number;
  raw?: number;
  /** The error when `stored` is passed (the default names the manifest's size). */
  overStored?: () => RiggerError;
}

const overBound = (what: string, limit: number) =>
  new RiggerError(
    'OTA_007',
    `The image ${what} more than the ${limit} bytes its manifest declares: nothing was imported`,
    {
      field: what === 'holds' ? 'compressed_size' : 'size',
      expected: limit,
      actual: `more than ${limit}`,
    },
    ['The file is damaged or was altered: get the bundle again'],
  );

/** Big chunks: fewer trips through the event loop on a 1 GiB image. */
export const CHUNK = 1024 * 1024;

export interface Ingested {
  /** The temporary file holding the bytes as received; commit or discard it. */
  temp: string;
  storedSha256: string;
  storedSize: number;
  /** Of the image as it lands in a slot: the decompressed bytes when gzip, else the same. */
  sha256: string;
  size: number;
}

/**
 * ONE pass over an image's bytes: write them to a temporary file while hashing them and, for
 * gzip, decompressing and hashing the result. Nothing is left behind on failure.
 */
export async function ingest(
  source: AsyncIterable<Buffer>,
  gzip: boolean,
  store: BlobStore,
  onBytes: (n: number) => void = () => undefined,
  bounds: IngestBounds = {},
): Promise<Ingested> {
  const temp = store.tempPath();
  const file = createWriteStream(temp);
  const stored = createHash('sha256');
  const raw = createHash('sha256');
  let storedSize = 0;
  let rawSize = 0;
  const gunzip = gzip ? createGunzip({ chunkSize: 256 * 1024 }) : null;
  let gunzipError: Error | RiggerError | null = null;
  let fileError: Error | null = null;
  file.on('error', (e) => (fileError = e));
  if (gunzip) {
    gunzip.on('data', (c: Buffer) => {
      raw.update(c);
      rawSize += c.length;
      if (bounds.raw !== undefined && rawSize > bounds.raw)
        gunzipError ??= overBound('decompresses to', bounds.raw);
    });
    gunzip.on('error', (e) => (gunzipError = e));
  }
  const check = () => {
    if (fileError) throw storageError(fileError);
    if (gunzipError instanceof RiggerError) throw gunzipError;
    if (gunzipError) throw corrupt(gunzipError);
  };
  try {
    for await (const chunk of source) {
      check();
      if (bounds.stored !== undefined && storedSize + chunk.length > bounds.stored)
        throw bounds.overStored?.() ?? overBound('holds', bounds.stored);
      stored.update(chunk);
      storedSize += chunk.length;
      // Write to both, then wait for whichever is full: the disk and zlib work side by side.
      const fileFull = !file.write(chunk);
      const gunzipFull = gunzip ? !gunzip.write(chunk) : false;
      // Listen to both before waiting on either, or a 'drain' fired meanwhile would be missed.
      if (fileFull || gunzipFull) {
        await Promise.all([
          fileFull ? writable(file) : null,
          gunzipFull ? writable(gunzip!) : null,
        ]).catch(() => undefined);
      }
      onBytes(chunk.length);
    }
    check();
    if (gunzip) {
      gunzip.end();
      await finished(gunzip).catch(() => undefined);
    }
    check();
    const closed = once(file, 'close').catch(() => undefined);
    file.end();
    await closed;
    check();
  } catch (err) {
    // Wait for the file to close: removing it before a pending open finishes would leave it behind.
    if (!file.closed) {
      const closed = once(file, 'close').catch(() => undefined);
      file.destroy();
      await closed;
    }
    gunzip?.destroy();
    store.discard(temp);
    throw err instanceof RiggerError ? err : storageError(err as Error);
  }
  const storedSha256 = stored.digest('hex');
  return gunzip
    ? { temp, storedSha256, storedSize, sha256: raw.digest('hex'), size: rawSize }
    : { temp, storedSha256, storedSize, sha256: storedSha256, size: storedSize };
}

function corrupt(err: Error): RiggerError {
  return new RiggerError(
    'OTA_005',
    `The image is not valid gzip or is truncated: ${err.message}`,
    { cause: err.message },
    ['Copy the file again: it is damaged or incomplete'],
  );
}

function storageError(err: Error & { code?: string }): RiggerError {
  if (err.code === 'ENOSPC') {
    return new RiggerError(
      'OTA_003',
      'The laptop disk filled up while importing: nothing was imported',
      { cause: 'ENOSPC' },
      ['Free disk space (delete old images in the library) and import again'],
    );
  }
  return new RiggerError('OTA_005', `Reading or storing the image failed: ${err.message}`, {
    cause: err.code ?? err.message,
  });
}

/** Iterate a Node readable as Buffers (a typed helper for `ingest`). */
export async function* chunksOf(stream: Readable): AsyncIterable<Buffer> {
  for await (const c of stream) yield c as Buffer;
}
