import { once } from 'node:events';
import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { LibraryImage } from '../../../shared/images';
import type { ImageService } from '../images/service';
import type { ByteRange, SlotSource } from './contract';

/** Iterate a stream's chunks, stopping the source early when the consumer stops. */
export async function* chunks(stream: Readable): AsyncGenerator<Buffer> {
  try {
    for await (const c of stream) yield c as Buffer;
  } finally {
    if (!stream.destroyed) {
      stream.destroy();
      await once(stream, 'close').catch(() => undefined);
    }
  }
}

/** The stored bytes, decompressed when they are gzip. */
function slotBytes(stored: () => Readable, gzip: boolean): Readable {
  const s = stored();
  if (!gzip) return s;
  // 1 MiB outputs, not zlib's 16 KiB: a tenth of the hand-offs, half the time for a whole image.
  const gunzip = createGunzip({ chunkSize: 1 << 20 });
  s.on('error', (e) => gunzip.destroy(e));
  return s.pipe(gunzip);
}

/** Only `range` of a stream (a compressed or decrypting source cannot seek: read up to the range). */
export function slice(all: Readable, range: ByteRange): Readable {
  async function* cut() {
    let pos = 0;
    const end = range.start + range.length;
    for await (const c of chunks(all)) {
      const next = pos + c.length;
      if (next > range.start) yield c.subarray(Math.max(0, range.start - pos), end - pos);
      pos = next;
      if (pos >= end) return;
    }
  }
  return Readable.from(cut(), { objectMode: false });
}

interface StoredFile {
  id: string;
  version: string | null;
  size: number;
  sha256: string;
  gzip: boolean;
  storedSize(): number;
  open(): Readable;
}

function sourceOf(f: StoredFile): SlotSource {
  return {
    id: f.id,
    version: f.version,
    size: f.size,
    sha256: f.sha256,
    open(range?: ByteRange) {
      const all = slotBytes(() => f.open(), f.gzip);
      return range ? slice(all, range) : all;
    },
    stored: {
      compression: f.gzip ? 'gzip' : 'none',
      get size() {
        return f.storedSize();
      },
      open: () => f.open(),
    },
  };
}

/** An image of the library as a slot source, with its manifest for the checks before a write. */
export function librarySource(
  images: ImageService,
  id: string,
): SlotSource & { image: LibraryImage } {
  const image = images.get(id);
  const gzip = image.compression === 'gzip';
  return {
    image,
    ...sourceOf({
      id: image.id,
      version: image.version,
      size: image.size,
      sha256: image.sha256,
      gzip,
      storedSize: () => (gzip ? image.compressed_size : image.size),
      open: () => images.openStored(id),
    }),
  };
}

/** A slot image kept in a file on this laptop (a snapshot's), gzip when its name says so. */
export function fileSource(
  file: string,
  facts: { id: string; version: string | null; size: number; sha256: string },
): SlotSource {
  const gzip = file.endsWith('.gz');
  return sourceOf({
    ...facts,
    gzip,
    storedSize: () => statSync(file).size,
    open: () => createReadStream(file),
  });
}
