import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { BackupUpdate } from '../../../../shared/backup';
import { RiggerError } from '../../../../shared/errors';
import { seedSpeed } from '../../../../shared/format/bytes';
import { createUploadStore } from '../../images/uploads';
import { formatBytes } from '../size-text';
import { seedHms } from '../../../../shared/format/time';

/** How often a running import says how far it got (ms): enough for a bar, not a flood. */
const PROGRESS_EVERY_MS = 250;
/** What a multipart form may add to its file's bytes (boundaries and 20 fields of 64 KiB). */
const FORM_MARGIN = 2 * 1024 * 1024;

/** Progress of one import on `/ws/backup/updates`, from the first byte received to the end. */
export interface ImportProgress {
  readonly importId: string;
  /** Bytes received so far of the whole file (null total when the sender did not say). */
  received(bytes: number, total: number | null): void;
  step(progress: number, currentStep: string): void;
}

/** A reporter of import progress: bytes, speed and ETA while the file arrives, then steps. */
export function importProgress(
  importId: string,
  emit: (m: BackupUpdate) => void,
  now: () => number = Date.now,
): ImportProgress {
  const started = now();
  let last = 0;
  const send = (
    m: Omit<Extract<BackupUpdate, { type: 'import_progress' }>, 'type' | 'import_id'>,
  ) => emit({ type: 'import_progress', import_id: importId, ...m });
  return {
    importId,
    received(bytes, total) {
      const t = now();
      const done = total !== null && bytes >= total;
      if (!done && t - last < PROGRESS_EVERY_MS) return;
      last = t;
      const rate = bytes / Math.max(0.001, (t - started) / 1000);
      const left = total !== null ? Math.max(0, total - bytes) : 0;
      send({
        // The file's arrival is the first 80 %; checking and taking it in are the rest.
        progress: total ? Math.min(80, Math.floor((bytes / total) * 80)) : 0,
        current_step: 'receiving_file',
        eta: seedHms(rate > 0 ? left / rate : 0),
        bytes_received: bytes,
        ...(total !== null ? { bytes_total: total } : {}),
        data_transferred: formatBytes(bytes),
        speed: seedSpeed(rate) ?? '0 B/s',
      });
    },
    step(progress, currentStep) {
      send({ progress, current_step: currentStep, eta: '00:00:00' });
    },
  };
}

/** Backup files sent over HTTP for import: their own folder and size bound, not the images'. */
export interface ImportUploads {
  /** Stream one file in; refused past the bound, the partial file removed. */
  receive(
    filename: string,
    body: Readable,
    expectedBytes: number | null,
  ): Promise<{ name: string; size: number }>;
  pathOf(name: string): string | null;
  /** The import id a received upload's progress was reported under (once). */
  takeImportId(name: string): string | undefined;
  limitBytes(): number;
}

/** The upload folder of backup imports, bounded by `limitBytes` and the disk's free space. */
export function createImportUploads(d: {
  dir: string;
  limitBytes: number;
  emit(m: BackupUpdate): void;
}): ImportUploads {
  const store = createUploadStore(d.dir);
  const ids = new Map<string, string>();
  const limit = () => Math.min(d.limitBytes, Math.floor(store.freeBytes() * 0.99));
  return {
    limitBytes: limit,
    async receive(filename, body, expectedBytes) {
      const bound = limit();
      const tooLarge = (size: number) =>
        new RiggerError(
          'VALIDATION_ERROR',
          `The backup file is larger than an import may be here (${formatBytes(bound)}); nothing was imported`,
          { filename, size, limit_bytes: bound },
          [
            bound < d.limitBytes
              ? 'Free space on this computer, then import again'
              : 'Import it on the computer with `rigger backup import FILE`',
          ],
        );
      // A sender that says its size up front is refused before a byte is written (the form's
      // own fields are bounded well below the margin).
      if (expectedBytes !== null && expectedBytes > bound + FORM_MARGIN) {
        body.resume();
        throw tooLarge(expectedBytes);
      }
      const progress = importProgress(`IMPORT-${randomBytes(4).toString('hex')}`, d.emit);
      let seen = 0;
      body.on('data', (c: Buffer) => {
        seen += c.length;
        progress.received(seen, expectedBytes);
      });
      try {
        const got = await store.receive(filename, body, bound);
        progress.received(got.size, got.size);
        ids.set(got.name, progress.importId);
        return got;
      } catch (err) {
        if (err instanceof RiggerError && err.code === 'OTA_003') throw tooLarge(seen);
        throw err;
      }
    },
    pathOf: (name) => store.pathOf(name),
    takeImportId(name) {
      const id = ids.get(name);
      ids.delete(name);
      return id;
    },
  };
}
