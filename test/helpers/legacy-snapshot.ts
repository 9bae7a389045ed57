import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  lstatSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createSnapshotStore, type SnapshotRow } from '../../src/main/core/recovery/snapshot-store';
import { openDatabase } from '../../src/main/core/store/database';
import type { GatewaySim } from '../gateway-sim';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Regular files (links not followed, as `find -type f`) under absolute `paths`, with SHA-256. */
export function regularFiles(paths: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (p: string) => {
    const st = lstatSync(p);
    if (st.isDirectory()) for (const n of readdirSync(p)) walk(join(p, n));
    else if (st.isFile()) out[p] = sha(readFileSync(p));
  };
  for (const p of paths) walk(p);
  return out;
}

/** The first `size` bytes of a file. */
function head(path: string, size: number): Buffer {
  const b = Buffer.alloc(size);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, b, 0, size, 0);
  } finally {
    closeSync(fd);
  }
  return b;
}

/**
 * A snapshot in the layout earlier versions of Rigger kept (before snapshots became backups):
 * a gzip tar of the gateway's data paths made from `/`, every file's SHA-256, and with `slot`
 * the booted slot's recorded image beside it, gzip-compressed; one row in the `snapshots` table.
 * Made here from the test gateway's files, as the earlier snapshot job streamed them.
 */
export function makeLegacySnapshot(
  dataDir: string,
  sim: GatewaySim,
  o: { name: string; description: string; type: 'automatic' | 'manual'; slot: boolean },
): SnapshotRow {
  const db = openDatabase(dataDir);
  try {
    const store = createSnapshotStore(db, join(dataDir, 'snapshots'));
    const id = `snap-${randomBytes(4).toString('hex')}`;
    const profile = sim.profile as {
      data_paths: string[];
      status_file: string;
      slots: Record<'A' | 'B', { device: string }>;
    };
    const file = `${id}.tar.gz`;
    const rel = profile.data_paths.map((p) => p.replace(/^\/+/, ''));
    execFileSync('tar', ['-C', '/', '-czf', store.path(file), ...rel]);
    const archive = readFileSync(store.path(file));
    let slotImage: SnapshotRow['slot_image'] = null;
    if (o.slot) {
      const rec = (
        JSON.parse(readFileSync(profile.status_file, 'utf8')) as Record<
          string,
          { size: number; sha256: string; version: string }
        >
      ).A!;
      const img = head(profile.slots.A.device, rec.size);
      const stored = gzipSync(img);
      const name = `${id}.slot-A.img.gz`;
      writeFileSync(store.path(name), stored);
      slotImage = {
        slot: 'A',
        version: rec.version,
        file: name,
        size: rec.size,
        sha256: sha(img),
        file_sha256: sha(stored),
      };
    }
    const row: SnapshotRow = {
      id,
      gateway: 'gw',
      model: 'Univa-GW-Pro',
      name: o.name,
      description: o.description,
      type: o.type,
      created_at: new Date(Date.now() - 86_400_000).toISOString(),
      version: 'v5.0.4',
      slot: 'A',
      includes: profile.data_paths,
      file,
      size: archive.length,
      sha256: sha(archive),
      files: regularFiles(profile.data_paths),
      job_id: null,
      slot_image: slotImage,
    };
    store.insert(row);
    return row;
  } finally {
    db.close();
  }
}
