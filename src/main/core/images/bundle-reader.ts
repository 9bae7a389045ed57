import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Parser, type ReadEntry } from 'tar';
import { RiggerError } from '../../../shared/errors';
import type { BlobStore } from './blob-store';
import { CHUNK, ingest, type Ingested } from './ingest';

/** What a bundle may write, asked as its image member begins. */
export interface BundleLimits {
  /** Bytes the library may still take (its quota left, the disk's free space), and the error past them. */
  room(): { bytes: number; error: (needed: number) => RiggerError };
  /**
   * Check the manifest read so far, and verify it when its signature came too: the image's
   * declared stored and decompressed sizes. Throws when either fails.
   */
  declared(
    manifest: Buffer,
    sig: Buffer | null,
    crt: Buffer | null,
  ): { stored: number; raw: number };
}

const SMALL_MEMBERS = new Set(['manifest.json', 'manifest.sig', 'manifest.crt']);
const SMALL_LIMIT = 1024 * 1024;

export interface BundleContents {
  manifest: Buffer;
  sig: Buffer;
  crt: Buffer | null;
  imageName: string;
  image: Ingested;
}

const invalid = (message: string, details: Record<string, unknown> = {}) =>
  new RiggerError('VALIDATION_ERROR', `Invalid bundle: ${message}`, details, [
    'Ask the vendor for a correct bundle',
  ]);

/** The image member's bounds from the limits and the manifest members read before it. */
function imageBounds(
  limits: BundleLimits,
  small: Map<string, Buffer>,
  memberSize: number,
): { stored: number; raw?: number } {
  let stored = Number.POSITIVE_INFINITY;
  let raw: number | undefined;
  const manifest = small.get('manifest.json');
  if (manifest) {
    const d = limits.declared(
      manifest,
      small.get('manifest.sig') ?? null,
      small.get('manifest.crt') ?? null,
    );
    if (memberSize > d.stored) {
      throw new RiggerError(
        'OTA_007',
        `The image member holds ${memberSize} bytes but the manifest declares ${d.stored}: nothing was imported`,
        { field: 'compressed_size', expected: d.stored, actual: memberSize },
        ['The file is damaged or was altered: get the bundle again'],
      );
    }
    stored = d.stored;
    raw = d.raw;
  }
  const room = limits.room();
  if (memberSize > room.bytes) throw room.error(memberSize);
  return { stored: Math.min(stored, room.bytes), raw };
}

/** Is the member name a plain top-level file name? */
const plainName = (n: string) =>
  n.length > 0 && !n.includes('/') && !n.includes('\\') && n !== '.' && n !== '..';

/**
 * Read a bundle (`.tar`, `.tar.gz`) in one pass: the manifest members into memory, the image
 * member straight into the blob store while hashing. Links, paths, duplicates and extra members
 * make it invalid; on any failure the image's temporary file is removed.
 */
export async function readBundle(
  path: string,
  store: BlobStore,
  onBytes?: (n: number) => void,
  limits?: BundleLimits,
): Promise<BundleContents> {
  const parser = new Parser({ strict: true });
  const source = createReadStream(path, { highWaterMark: CHUNK });
  const small = new Map<string, Buffer>();
  const seen = new Set<string>();
  let problem: RiggerError | null = null;
  let imageName: string | null = null;
  let image: Promise<Ingested> | null = null;
  let manifestCompression: string | null = null;
  let imageEntry: ReadEntry | null = null;

  const collect = (entry: ReadEntry, name: string) => {
    const parts: Buffer[] = [];
    let size = 0;
    entry.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= SMALL_LIMIT) parts.push(c);
    });
    entry.on('end', () => {
      if (size > SMALL_LIMIT) problem ??= invalid(`${name} is larger than 1 MiB`);
      const buf = Buffer.concat(parts);
      small.set(name, buf);
      if (name === 'manifest.json') {
        try {
          manifestCompression =
            (JSON.parse(buf.toString('utf8')) as { image?: { compression?: string } }).image
              ?.compression ?? null;
        } catch {
          // Reported with the field later.
        }
      }
    });
  };

  parser.on('entry', (entry: ReadEntry) => {
    const name = entry.path;
    const fail = (p: RiggerError) => {
      problem ??= p;
      entry.resume();
    };
    if (problem) return entry.resume();
    if (entry.type !== 'File' && entry.type !== 'OldFile' && entry.type !== 'ContiguousFile') {
      return fail(
        invalid(`member "${name}" is a ${entry.type}, only plain files are allowed`, {
          member: name,
        }),
      );
    }
    if (!plainName(name))
      return fail(
        invalid(`member "${name}" has a path; members must sit at the top level`, { member: name }),
      );
    if (seen.has(name)) return fail(invalid(`member "${name}" appears twice`, { member: name }));
    seen.add(name);
    if (SMALL_MEMBERS.has(name)) return collect(entry, name);
    if (image)
      return fail(
        invalid(`extra member "${name}" besides the image "${imageName}"`, { member: name }),
      );
    // Nothing is written past what the manifest declares (when it came first) and the room left.
    let bounds: { stored: number; raw?: number } = { stored: Number.POSITIVE_INFINITY };
    if (limits) {
      try {
        bounds = imageBounds(limits, small, entry.size ?? 0);
      } catch (err) {
        fail(err instanceof RiggerError ? err : invalid((err as Error).message));
        // The rest of the archive is not read: a refused member is never inflated for nothing.
        source.destroy();
        return;
      }
    }
    imageName = name;
    imageEntry = entry;
    // The manifest usually comes first and says; otherwise the gzip magic number does.
    image = (async () => {
      const it = entry[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
      const first = await it.next();
      const head = first.done ? Buffer.alloc(0) : first.value;
      const gzip = manifestCompression
        ? manifestCompression === 'gzip'
        : head[0] === 0x1f && head[1] === 0x8b;
      async function* all(): AsyncIterable<Buffer> {
        if (head.length) yield head;
        for (;;) {
          const n = await it.next();
          if (n.done) return;
          yield n.value;
        }
      }
      return ingest(all(), gzip, store, undefined, bounds);
    })();
    image.catch(() => entry.resume());
  });
  parser.on('warn', (_code: string, message: string) => {
    problem ??= invalid(message);
  });

  try {
    // Progress counts the bundle file as read, so it ends at the file's size (its total).
    if (onBytes) source.on('data', (c) => onBytes(c.length));
    await pipeline(source, parser);
  } catch (err) {
    problem ??=
      err instanceof RiggerError
        ? err
        : /unexpected end|incorrect header|invalid|TAR_BAD_ARCHIVE|zlib|truncated/i.test(
              String((err as Error).message),
            )
          ? new RiggerError(
              'OTA_005',
              `The bundle is damaged or truncated: ${(err as Error).message}`,
              {},
              ['Copy the file again'],
            )
          : invalid((err as Error).message);
  }
  // A truncated archive can end inside the image member: end its stream so the import stops.
  const pending = imageEntry as ReadEntry | null;
  if (pending && !pending.emittedEnd) {
    problem ??= new RiggerError('OTA_005', 'The bundle is truncated: the image ends early', {}, [
      'Copy the file again',
    ]);
    // With no reader attached at this instant, an 'error' with no listener would throw here.
    pending.on('error', () => undefined);
    pending.destroy(new Error('truncated bundle'));
  }
  const ingested: Ingested | null =
    (await (image as Promise<Ingested> | null)?.catch((err: unknown) => {
      problem ??= err instanceof RiggerError ? err : invalid((err as Error).message);
      return null;
    })) ?? null;
  const fail = (p: RiggerError): never => {
    if (ingested) store.discard(ingested.temp);
    throw p;
  };
  if (problem) fail(problem);
  if (!small.has('manifest.json')) fail(invalid('manifest.json is missing'));
  if (!small.has('manifest.sig')) fail(invalid('manifest.sig is missing'));
  if (!ingested || !imageName) fail(invalid('the image file is missing'));
  return {
    manifest: small.get('manifest.json')!,
    sig: small.get('manifest.sig')!,
    crt: small.get('manifest.crt') ?? null,
    imageName: imageName!,
    image: ingested!,
  };
}
