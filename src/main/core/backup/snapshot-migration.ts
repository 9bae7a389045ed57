import { createReadStream, existsSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { RiggerError } from '../../../shared/errors';
import type { SnapshotRow, SnapshotStore } from '../recovery/snapshot-store';
import { sha256File } from '../util/hash';
import type { BackupManifest, ManifestSystem } from './manifest';
import type { BackupRepository } from './repository';
import { checkListing, ingestTar } from './tar-ingest';
import { verifyBackup } from './verify';

/** The component a migrated snapshot's data paths become. */
export const MIGRATED_COMPONENT = 'data';

export interface MigrationReport {
  /** Snapshot ids now backups (same ids), verified, their old files removed. */
  migrated: string[];
  /** Snapshots kept as they were, with why (a damaged archive, a backup that did not verify). */
  failed: { id: string; error: string }[];
}

/** What the laptop knows of a snapshot's gateway today (its id and model, when still registered). */
export type GatewayLookup = (name: string) => { gateway_id: string; model: string } | null;

/** A stored file, uncompressed when it was kept gzip-compressed. */
const readPlain = (path: string): Readable =>
  path.endsWith('.gz') ? createReadStream(path).pipe(createGunzip()) : createReadStream(path);

/** A snapshot's files are whole on this laptop, or why not. */
async function prove(legacy: SnapshotStore, row: SnapshotRow): Promise<void> {
  const files: [string, string][] = [[row.file, row.sha256]];
  if (row.slot_image) files.push([row.slot_image.file, row.slot_image.file_sha256]);
  for (const [file, sha] of files) {
    const path = legacy.path(file);
    if (!existsSync(path))
      throw new RiggerError('BACKUP_FAILED', `Snapshot ${row.id}: ${file} is missing`);
    if ((await sha256File(path)) !== sha)
      throw new RiggerError(
        'BACKUP_FAILED',
        `Snapshot ${row.id}: ${file} no longer matches its checksum`,
      );
  }
}

/** Write one snapshot as a backup of the same id (its files read from this laptop, not the gateway). */
async function write(
  repo: BackupRepository,
  legacy: SnapshotStore,
  row: SnapshotRow,
  lookup: GatewayLookup,
): Promise<void> {
  const writer = repo.begin(row.id, !!repo.key);
  try {
    let system: ManifestSystem | null = null;
    const img = row.slot_image;
    if (img) {
      await writer.put(readPlain(legacy.path(img.file)), {
        sha256: img.sha256,
        size: img.size,
        what: `slot ${img.slot} image of snapshot ${row.id}`,
      });
      system = {
        slot: img.slot,
        version: img.version,
        size: img.size,
        image_sha256: img.sha256,
        stored: true,
      };
    }
    const listed = new Map(Object.entries(row.files));
    const got = await ingestTar(
      readPlain(legacy.path(row.file)),
      MIGRATED_COMPONENT,
      () => listed,
      writer,
    );
    checkListing(got.entries, listed);
    const known = lookup(row.gateway);
    const manifest: BackupManifest = {
      format: 'rigger-backup',
      version: 1,
      id: row.id,
      name: row.name,
      // Automatic snapshots were the ones an update took before it switched.
      type: row.type === 'automatic' ? 'pre-ota' : 'full',
      description: row.description,
      created_at: row.created_at,
      created_by: row.type === 'automatic' ? 'update' : 'local',
      gateway: {
        name: row.gateway,
        gateway_id: known?.gateway_id ?? row.gateway,
        model: row.model ?? known?.model ?? '',
        version: row.version,
        serial_number: null,
      },
      encryption: {
        enabled: !!repo.key,
        algorithm: repo.key ? 'AES-256-GCM' : null,
        key_id: repo.key?.id ?? null,
        format_version: 1,
      },
      components: {
        [MIGRATED_COMPONENT]: {
          paths: row.includes,
          files: got.files,
          size: got.bytes,
          quiesced: false,
          missing: [],
        },
      },
      system,
      entries: got.entries,
      signer: repo.site.fingerprint,
    };
    await writer.commit(manifest);
  } catch (err) {
    writer.abort();
    throw err;
  }
}

/** The backup holds exactly the snapshot: every file with its hash, and its slot image. */
function sameContents(repo: BackupRepository, row: SnapshotRow): string | null {
  const m = repo.load(row.id).manifest;
  const files: Record<string, string> = {};
  for (const e of m.entries)
    if ((e.type === 'file' || e.type === 'hardlink') && e.sha256) files[e.path] = e.sha256;
  const want = Object.entries(row.files);
  const differ = want.filter(([p, h]) => files[p] !== h).map(([p]) => p);
  if (differ.length || Object.keys(files).length !== want.length)
    return `${differ.length} file(s) differ, ${Object.keys(files).length} held of ${want.length}`;
  if ((row.slot_image?.sha256 ?? null) !== (m.system?.image_sha256 ?? null))
    return 'the slot image differs';
  return null;
}

/** Why the backup made of a snapshot cannot stand for it (null: it can). */
async function check(repo: BackupRepository, row: SnapshotRow): Promise<string | null> {
  const v = await verifyBackup(repo, row.id);
  if (!v.verified) return `Backup ${row.id} does not verify: ${v.errors[0]}`;
  const differs = sameContents(repo, row);
  return differs ? `Backup ${row.id} is not the snapshot: ${differs}` : null;
}

/**
 * Turn the snapshots of earlier Rigger versions into backups, oldest first, with nothing lost:
 * each snapshot's archive and slot image are proven against their recorded checksums, written as
 * a backup of the same id (its original time, name, description and gateway), read back whole
 * (every chunk, every file hash) and compared file for file; only then are the snapshot's row and
 * files removed. Run again after a crash, it finishes what was begun: a backup already committed
 * is verified and compared again before its snapshot goes; one cut short left no manifest and is
 * written again. A snapshot that cannot be proven stays where it is, and the report says why.
 */
export async function migrateSnapshots(
  repo: BackupRepository,
  legacy: SnapshotStore,
  lookup: GatewayLookup,
): Promise<MigrationReport> {
  const report: MigrationReport = { migrated: [], failed: [] };
  for (const row of legacy.list().reverse()) {
    try {
      const fresh = !repo.has(row.id);
      if (fresh) {
        await prove(legacy, row);
        await write(repo, legacy, row, lookup);
      }
      let problem = await check(repo, row);
      if (problem && !fresh) {
        // Left by an earlier run and not whole: written again from the snapshot, which is.
        await prove(legacy, row);
        await repo.delete(row.id);
        await write(repo, legacy, row, lookup);
        problem = await check(repo, row);
      }
      if (problem) throw new RiggerError('BACKUP_FAILED', problem);
      legacy.remove(row);
      report.migrated.push(row.id);
    } catch (err) {
      report.failed.push({ id: row.id, error: (err as Error).message });
    }
  }
  return report;
}
