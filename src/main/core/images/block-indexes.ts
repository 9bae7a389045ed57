import { rename, rm, writeFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { RiggerError } from '../../../shared/errors';
import type { LibraryImage } from '../../../shared/images';
import {
  BLOCK_SIZE,
  blockIndexOfStream,
  encodeBlockIndex,
  indexPath,
  readBlockIndex,
  type BlockIndex,
} from '../transfer/block-index';
import type { BlobStore } from './blob-store';
import type { Library } from './library';

/** The library's block indexes (a SHA-256 per 4 KiB block of each image's slot bytes). */
export interface BlockIndexes {
  /** The image's index: read from beside its file, or built from it (once) and kept there. */
  of(id: string): Promise<BlockIndex>;
}

/**
 * Block indexes kept beside the library's files (`<blob>.blkidx`, removed with the blob), built
 * lazily on the first plan that needs one. A stored index is used only when it describes exactly
 * this image (size, block size, SHA-256) and has the length that size gives; anything else is
 * built again from the image, whose bytes must hash to its manifest's SHA-256.
 */
export function createBlockIndexes(
  store: BlobStore,
  library: Pick<Library, 'get' | 'blobOf'>,
  openStored: (id: string) => Readable,
): BlockIndexes {
  const building = new Map<string, Promise<BlockIndex>>();

  const stored = async (file: string, image: LibraryImage) => {
    try {
      const idx = await readBlockIndex(file, image.size);
      return idx.sha256 === image.sha256 ? idx : null;
    } catch {
      return null; // missing, damaged or of another image: built again
    }
  };

  const build = async (id: string, file: string, image: LibraryImage) => {
    const raw = openStored(id);
    let bytes: Readable = raw;
    if (image.compression === 'gzip') {
      const gunzip = createGunzip({ chunkSize: 1 << 20 });
      raw.on('error', (e) => gunzip.destroy(e));
      bytes = raw.pipe(gunzip);
    }
    const idx = await blockIndexOfStream(bytes, BLOCK_SIZE);
    if (idx.sha256 !== image.sha256 || idx.size !== image.size) {
      throw new RiggerError(
        'OTA_007',
        `Image ${id} in the library does not match its manifest`,
        { expected: `sha256:${image.sha256}`, actual: `sha256:${idx.sha256}`, where: 'library' },
        ['Verify the image in the library', 'Re-import it'],
      );
    }
    // Written whole under a temporary name, then renamed: never half an index that looks usable.
    const tmp = store.tempPath();
    try {
      await writeFile(tmp, encodeBlockIndex(idx), { mode: 0o600 });
      await rename(tmp, file);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    return idx;
  };

  return {
    of(id) {
      const image = library.get(id);
      const file = indexPath(store.path(library.blobOf(id)));
      const key = `${file}:${image.sha256}`;
      const running = building.get(key);
      if (running) return running;
      const p = (async () => (await stored(file, image)) ?? (await build(id, file, image)))();
      building.set(key, p);
      return p.finally(() => building.delete(key));
    },
  };
}
