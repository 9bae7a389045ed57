import { createWriteStream, existsSync, mkdirSync, renameSync, rmSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { RiggerError } from '../../../shared/errors';
import type { LibraryImage } from '../../../shared/images';
import { kindOf } from './importer';
import type { Library } from './library';

/** Files sent to Rigger over HTTP (the seed's multipart upload/verify), kept until deployed. */
export interface UploadStore {
  /**
   * Stream one uploaded file in under a safe form of its name, refused past `limitBytes` (the
   * partial file is removed); a second upload of the same name replaces the first.
   */
  receive(
    filename: string,
    body: Readable,
    limitBytes: number,
  ): Promise<{ name: string; size: number }>;
  /** The path of a received upload, or null when there is none of that name. */
  pathOf(name: string): string | null;
  /** The bytes the folder's disk can still take. */
  freeBytes(): number;
}

/** Keep the name a person gave, minus anything that could leave the folder or hide a file. */
export function safeUploadName(filename: string): string {
  const base = filename.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[^A-Za-z0-9._+-]/g, '_').replace(/^\.+/, '');
  if (!clean || clean.length > 200)
    throw new RiggerError('VALIDATION_ERROR', `"${filename}" is not a usable file name`, {
      filename,
    });
  return clean;
}

/** The upload folder in Rigger's data folder: private (0700), its files 0600. */
export function createUploadStore(dir: string): UploadStore {
  const ensure = () => mkdirSync(dir, { recursive: true, mode: 0o700 });
  return {
    async receive(filename, body, limitBytes) {
      ensure();
      const name = safeUploadName(filename);
      const part = join(dir, `.${name}.${process.pid}.${Date.now()}.part`);
      let size = 0;
      const over = () =>
        new RiggerError(
          'OTA_003',
          `The upload is larger than Rigger can take now (${limitBytes} bytes)`,
          { filename: name, limit_bytes: limitBytes },
          ['Free space on this computer or raise the image library quota in Settings'],
        );
      body.on('data', (c: Buffer) => {
        size += c.length;
        if (size > limitBytes) body.destroy(over());
      });
      const out = createWriteStream(part, { mode: 0o600 });
      try {
        await pipeline(body, out);
      } catch (err) {
        // A refusal can come before the file is even open: remove it only once it is closed.
        if (!out.closed) await new Promise<void>((r) => out.once('close', () => r()));
        rmSync(part, { force: true });
        throw size > limitBytes ? over() : err;
      }
      renameSync(part, join(dir, name));
      return { name, size };
    },
    pathOf(name) {
      let safe: string;
      try {
        safe = safeUploadName(name);
      } catch {
        return null;
      }
      const p = join(dir, safe);
      return safe === name && existsSync(p) ? p : null;
    },
    freeBytes() {
      ensure();
      const s = statfsSync(dir);
      return s.bavail * s.bsize;
    },
  };
}

/** Uploads as the image library sees them: bounded by its room, deployable by name. */
export function createUploads(d: {
  dir: string;
  library: Library;
  quota: () => number;
  importPath: (
    path: string,
    opts: { unsigned?: boolean; version?: string },
  ) => Promise<LibraryImage>;
}) {
  const store = createUploadStore(d.dir);
  /** What an upload may take: the library's room under its quota, and the disk's, less 1%. */
  const room = () => {
    const disk = Math.floor(store.freeBytes() * 0.99);
    const q = d.quota();
    return q > 0 ? Math.min(disk, Math.max(0, q - d.library.usage(q).bytes)) : disk;
  };
  return {
    /** Take a file sent over HTTP (the seed's multipart upload), bounded by the room there is. */
    receive: (filename: string, body: Readable) => store.receive(filename, body, room()),
    /** The path of an upload that upload/verify named; NOT_FOUND when there is none. */
    pathOf(name: string): string {
      const p = store.pathOf(name);
      if (!p)
        throw new RiggerError('NOT_FOUND', `No uploaded file "${name}"`, { upload: name }, [
          'Upload it again with POST /cloud-integration/upload/verify',
        ]);
      return p;
    },
    /**
     * Import a received upload into the library (the browser's file picker or a drop), then
     * remove it from the upload folder whatever the import said: the library keeps its own copy.
     * `opts` is read inside, so a refused option removes the upload too.
     */
    async importUploaded(
      name: string,
      opts: () => { unsigned?: boolean; version?: string },
    ): Promise<LibraryImage> {
      const path = this.pathOf(name);
      try {
        return await d.importPath(path, opts());
      } finally {
        rmSync(path, { force: true });
      }
    },
    /**
     * The image a deploy names: an image of the library (by id or version), or a file uploaded
     * for upload/verify under the name verify returned, imported now (a loose image with its
     * version; unsigned only where the deploy allows it, audited by the import).
     */
    async resolveDeploy(
      filename: string,
      opts: { version?: string; allowUnsigned: boolean },
    ): Promise<string> {
      const known = d.library.list({}).find((i) => i.id === filename || i.version === filename);
      if (known) return known.id;
      const path = store.pathOf(filename);
      if (!path) return filename;
      const bundle = kindOf(path).bundle;
      const image = await d.importPath(path, {
        version: bundle ? undefined : opts.version,
        unsigned: !bundle && opts.allowUnsigned,
      });
      return image.id;
    },
  };
}
