import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { LibraryImage } from '../../../shared/images';
import type { ImageService } from '../images/service';

/** An image to write: its manifest facts and a fresh stream of its uncompressed bytes. */
export interface ImageSource {
  image: LibraryImage;
  open(): Readable;
}

/** Adapt the image library to what the writer needs. */
export function imageSource(images: ImageService, id: string): ImageSource {
  const image = images.get(id);
  return {
    image,
    open() {
      const stored = images.openStored(id);
      if (image.compression !== 'gzip') return stored;
      const gunzip = createGunzip();
      stored.on('error', (e) => gunzip.destroy(e));
      return stored.pipe(gunzip);
    },
  };
}

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
