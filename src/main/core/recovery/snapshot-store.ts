import { existsSync, rmSync } from 'node:fs';
import { privateDir } from '../util/private-files';
import { join } from 'node:path';
import type { Database } from '../store/database';

/** One snapshot as stored: its archive on this laptop and what the gateway held. */
export interface SnapshotRow {
  id: string;
  gateway: string;
  model: string | null;
  name: string;
  description: string;
  type: 'automatic' | 'manual';
  created_at: string;
  version: string | null;
  slot: 'A' | 'B' | null;
  /** The gateway paths inside the archive. */
  includes: string[];
  /** The archive's file name in the snapshot folder. */
  file: string;
  size: number;
  sha256: string;
  /** SHA-256 of every regular file in the archive, by path as on the gateway. */
  files: Record<string, string>;
  job_id: string | null;
  /** The slot image taken with the snapshot, or null (data paths only). */
  slot_image: SlotImage | null;
}

/** A slot's image kept beside a snapshot's archive. */
export interface SlotImage {
  slot: 'A' | 'B';
  version: string | null;
  /** Its file name in the snapshot folder. */
  file: string;
  /** The image's own size and SHA-256 (uncompressed), as the status file recorded them. */
  size: number;
  sha256: string;
  /** SHA-256 of the file as stored (compressed or not): its integrity on this laptop. */
  file_sha256: string;
}

type Raw = Omit<SnapshotRow, 'includes' | 'files' | 'slot_image'> & {
  includes: string;
  files: string;
  slot_image: string | null;
};
const decode = (r: Raw): SnapshotRow => ({
  ...r,
  includes: JSON.parse(r.includes) as string[],
  files: JSON.parse(r.files) as Record<string, string>,
  slot_image: r.slot_image ? (JSON.parse(r.slot_image) as SlotImage) : null,
});

/**
 * The snapshots earlier versions of Rigger kept on this laptop (their table and folder of
 * archives): read only to migrate them into backups (backup/snapshot-migration.ts).
 */
export interface SnapshotStore {
  /** The folder of archives and slot images. */
  readonly dir: string;
  /** A file of the folder by its name. */
  path(file: string): string;
  /** Record a snapshot whose files are already in the folder. */
  insert(r: SnapshotRow): void;
  /** One snapshot by id, or null. */
  find(id: string): SnapshotRow | null;
  /** Newest first; one gateway's or all. */
  list(gateway?: string): SnapshotRow[];
  /** Forget a snapshot and delete its files. */
  remove(r: SnapshotRow): void;
  /** Is the archive still on disk? */
  present(r: SnapshotRow): boolean;
}

/** The earlier versions' snapshots table and folder of archives. */
export function createSnapshotStore(db: Database, dir: string): SnapshotStore {
  privateDir(dir);
  const path = (file: string) => join(dir, file);
  const remove = (r: SnapshotRow) => {
    db.prepare('DELETE FROM snapshots WHERE id = ?').run(r.id);
    rmSync(path(r.file), { force: true });
    if (r.slot_image) rmSync(path(r.slot_image.file), { force: true });
  };
  return {
    dir,
    path,
    insert(r) {
      db.prepare(
        `INSERT INTO snapshots (id, gateway, model, name, description, type, created_at, version,
           slot, includes, file, size, sha256, files, job_id, slot_image)
         VALUES (@id, @gateway, @model, @name, @description, @type, @created_at, @version,
           @slot, @includes, @file, @size, @sha256, @files, @job_id, @slot_image)`,
      ).run({
        ...r,
        includes: JSON.stringify(r.includes),
        files: JSON.stringify(r.files),
        slot_image: r.slot_image ? JSON.stringify(r.slot_image) : null,
      });
    },
    find(id) {
      const r = db.prepare('SELECT * FROM snapshots WHERE id = ?').get(id) as Raw | undefined;
      return r ? decode(r) : null;
    },
    /** Newest first; one gateway's or all. */
    list(gateway) {
      const rows = (
        gateway
          ? db
              .prepare('SELECT * FROM snapshots WHERE gateway = ? ORDER BY created_at DESC')
              .all(gateway)
          : db.prepare('SELECT * FROM snapshots ORDER BY created_at DESC').all()
      ) as Raw[];
      return rows.map(decode);
    },
    remove,
    /** Is the archive still on disk? */
    present: (r) => existsSync(path(r.file)),
  };
}
