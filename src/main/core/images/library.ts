import { statfsSync } from 'node:fs';
import { RiggerError } from '../../../shared/errors';
import type { LibraryImage } from '../../../shared/images';
import type { Database } from '../store/database';
import type { BlobStore } from './blob-store';

interface Row {
  id: string;
  blob: string;
  record: string;
}

export interface ImageFilter {
  channel?: string;
  type?: string;
  signature?: string;
  model?: string;
}

/** The library's index in SQLite; the image bytes live in the blob store under `blob`. */
export interface Library {
  list(filter?: ImageFilter): LibraryImage[];
  get(id: string): LibraryImage;
  blobOf(id: string): string;
  find(id: string): LibraryImage | null;
  insert(image: LibraryImage, blob: string): void;
  /** Remove an image; its blob goes when no other image refers to it. */
  remove(id: string): void;
  usage(quota: number): {
    images: number;
    blobs: number;
    bytes: number;
    quota_bytes: number;
    free_bytes: number | null;
  };
}

/** The library index over the database and the blob store. */
export function createLibrary(db: Database, store: BlobStore): Library {
  const row = (id: string) =>
    db.prepare('SELECT id, blob, record FROM images WHERE id = ?').get(id) as Row | undefined;
  const notFound = (id: string) =>
    new RiggerError('NOT_FOUND', `No image "${id}" in the library`, { id }, [
      'List the library with `rigger images list`',
    ]);
  return {
    list(filter = {}) {
      const rows = db
        .prepare('SELECT record FROM images ORDER BY imported_at DESC')
        .all() as Array<{ record: string }>;
      return rows
        .map((r) => JSON.parse(r.record) as LibraryImage)
        .filter(
          (i) =>
            (!filter.channel || i.channel === filter.channel) &&
            (!filter.type || i.type === filter.type) &&
            (!filter.signature || i.signature === filter.signature) &&
            (!filter.model || !!i.compatible?.models.includes(filter.model)),
        );
    },
    get(id) {
      const r = row(id);
      if (!r) throw notFound(id);
      return JSON.parse(r.record) as LibraryImage;
    },
    find(id) {
      const r = row(id);
      return r ? (JSON.parse(r.record) as LibraryImage) : null;
    },
    blobOf(id) {
      const r = row(id);
      if (!r) throw notFound(id);
      return r.blob;
    },
    insert(image, blob) {
      db.prepare(
        'INSERT INTO images (id, version, channel, type, signature, blob, record, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ).run(
        image.id,
        image.version,
        image.channel,
        image.type,
        image.signature,
        blob,
        JSON.stringify(image),
        image.imported_at,
      );
    },
    remove(id) {
      const r = row(id);
      if (!r) throw notFound(id);
      db.prepare('DELETE FROM images WHERE id = ?').run(id);
      const still = db.prepare('SELECT 1 FROM images WHERE blob = ?').get(r.blob);
      if (!still) store.remove(r.blob);
    },
    usage(quota) {
      const blobs = db.prepare('SELECT DISTINCT blob FROM images').all() as Array<{ blob: string }>;
      const images = (db.prepare('SELECT COUNT(*) AS n FROM images').get() as { n: number }).n;
      const bytes = blobs.reduce((sum, b) => sum + (store.has(b.blob) ? store.size(b.blob) : 0), 0);
      let free: number | null = null;
      try {
        const fs = statfsSync(store.dir);
        free = fs.bavail * fs.bsize;
      } catch {
        free = null;
      }
      return { images, blobs: blobs.length, bytes, quota_bytes: quota, free_bytes: free };
    },
  };
}
