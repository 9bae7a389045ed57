import { existsSync, rmSync } from 'node:fs';
import { privateDir } from '../util/private-files';
import { join } from 'node:path';
import type { SnapshotEntry } from '../../../shared/recovery';
import type { Database } from '../store/database';
import { formatBytes } from '../../../shared/format/bytes';
import { seedTime } from '../../../shared/format/time';

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

/** A snapshot as the seed's recovery/status lists it. */
export function toEntry(r: SnapshotRow): SnapshotEntry {
  return {
    id: r.id,
    timestamp: seedTime(new Date(r.created_at)),
    version: r.version,
    type: r.type,
    size: formatBytes(r.size),
    description: r.description,
    partition: r.slot,
    bootable: r.slot_image !== null,
    name: r.name,
    gateway: r.gateway,
    model: r.model,
    size_bytes: r.size,
    sha256: r.sha256,
    includes: r.includes,
    slot_image: r.slot_image
      ? {
          slot: r.slot_image.slot,
          version: r.slot_image.version,
          size_bytes: r.slot_image.size,
          sha256: r.slot_image.sha256,
        }
      : null,
  };
}

/** The snapshots kept on this laptop: their table and the folder of archives. */
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
  /** Keep at most `max` of a gateway's snapshots, none older than `days` (the newest stays). */
  retain(gateway: string, max: number, days: number, now?: number): string[];
}

/** The snapshots table and the folder of archives, with retention by count and age. */
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
    /**
     * Keep at most `max` snapshots of a gateway and none older than `days` (the newest one is
     * always kept, whatever its age). Returns the ids removed.
     */
    retain(gateway, max, days, now = Date.now()) {
      const rows = this.list(gateway);
      const cutoff = now - days * 86_400_000;
      const gone = rows.filter((r, i) => i > 0 && (i >= max || Date.parse(r.created_at) < cutoff));
      for (const r of gone) remove(r);
      return gone.map((r) => r.id);
    },
  };
}
