import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackupPlaces } from '../../../src/main/core/backup-places/places-service';
import {
  RepositoryCatalog,
  locationsFileOf,
} from '../../../src/main/core/backup-places/repository-catalog';
import { envSecrets } from '../../../src/main/core/backup-places/storage/secrets';
import { backupRoot, openBackupStore } from '../../../src/main/core/backup/store';
import type { BackupRecord, StorageLocationConfig } from '../../../src/shared/backup-places';
import { startS3, type S3Server } from '../../helpers/s3';
import { startSftp, type SftpServer } from '../../helpers/sftp';
import { storeBackup } from './store-backups';

let s3: S3Server;
let sftp: SftpServer;
let data: string;
let places: BackupPlaces;
let catalog: RepositoryCatalog;
const shared = randomBytes(48 * 1024);

beforeAll(async () => {
  [s3, sftp] = await Promise.all([startS3(['backups']), startSftp()]);
  data = mkdtempSync(join(tmpdir(), 'rigger-cleanup-remote-'));
  const repo = openBackupStore(data, { allowLocked: true, env: {} });
  catalog = new RepositoryCatalog(() => repo, 'local', locationsFileOf(data));
  const locations: StorageLocationConfig[] = [
    {
      id: 'local',
      type: 'local',
      name: 'Local Storage',
      enabled: true,
      default: true,
      path: backupRoot(data),
      cleanup_threshold: 80,
    },
    {
      id: 'aws',
      type: 'cloud',
      name: 'Bucket',
      enabled: true,
      bucket: 'backups',
      region: 'us-east-1',
      endpoint: s3.endpoint,
      force_path_style: true,
      credentials_ref: 'aws',
    },
    {
      id: 'sftp',
      type: 'remote',
      name: 'File server',
      enabled: true,
      host: '127.0.0.1',
      port: sftp.port,
      user: 'root',
      path: join(sftp.root, 'site'),
      host_key_fingerprint: sftp.fingerprint,
      credentials_ref: 'fs',
    },
  ];
  places = new BackupPlaces({
    catalog,
    locations,
    policies: {
      default_location: 'local',
      replication_enabled: false,
      encryption_default: false,
      compression_default: 'none',
    },
    save: () => undefined,
    retentionNeeds: () => [],
    onProgress: () => undefined,
    secrets: envSecrets({
      RIGGER_STORAGE_AWS_ACCESS_KEY_ID: s3.accessKeyId,
      RIGGER_STORAGE_AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
      RIGGER_STORAGE_FS_KEY_FILE: sftp.keyFile,
    }),
    stateDir: join(data, 'backup-places'),
    healthTimeoutMs: 3000,
  });
});
afterAll(async () => {
  await Promise.all([s3?.stop(), sftp?.stop()]);
});

/** A backup of crane-7 holding the shared blob and one of its own, made at `day`. */
async function backup(id: string, day: number): Promise<void> {
  await storeBackup(data, id, {
    gateway: 'crane-7',
    created_at: `2026-01-${String(day).padStart(2, '0')}T02:00:00Z`,
    files: { '/data/shared': shared, [`/data/${id}`]: randomBytes(16 * 1024) },
  });
}

async function syncTo(destination: string) {
  const { done } = await places.storageSync({
    source: 'local',
    destination,
    backup_ids: ['all'],
    verify_after_sync: true,
  });
  return done;
}

/** Which of a record's files are at a location now. */
async function presentAt(location: string, r: BackupRecord): Promise<string[]> {
  const loc = places.open(location);
  try {
    const out: string[] = [];
    for (const f of r.files) if (await loc.stat(f.path)) out.push(f.path);
    return out;
  } finally {
    await loc.close();
  }
}

async function pruneTo(n: number) {
  const plan = await places.cleanup({ dry_run: true, retention_policy: `keep_last_${n}` });
  const { done } = await places.cleanupExecute({
    cleanup_plan_id: plan.cleanup_plan_id,
    confirmation: true,
  });
  return done;
}

describe('cleanup removes the copies at every location', () => {
  it("deletes a pruned backup's files on SFTP and S3, proven gone, keeping shared blobs", async () => {
    await backup('b1', 1);
    await backup('b2', 2);
    for (const dest of ['aws', 'sftp']) await syncTo(dest);
    const [b1, b2] = await catalog.list();
    expect(b1!.locations).toEqual(['local', 'aws', 'sftp']);
    const own = b1!.files.filter((f) => !b2!.files.some((g) => g.path === f.path));
    expect(own.length).toBeGreaterThanOrEqual(4); // manifest, sig, refs, its own blob

    const out = await pruneTo(1);
    expect(out.removed).toEqual(['b1']);
    expect(out.locations.sort((a, b) => a.location.localeCompare(b.location))).toEqual([
      { location: 'aws', status: 'removed', files_removed: own.length, files_pending: 0 },
      { location: 'sftp', status: 'removed', files_removed: own.length, files_pending: 0 },
    ]);
    for (const dest of ['aws', 'sftp']) {
      expect(await presentAt(dest, b1!)).toEqual(
        b1!.files.filter((f) => !own.includes(f)).map((f) => f.path),
      );
      expect(await presentAt(dest, b2!)).toEqual(b2!.files.map((f) => f.path));
    }
  });

  it('goes ahead locally when a location is down, and removes its copies at the next sync', async () => {
    await backup('b3', 3);
    for (const dest of ['aws', 'sftp']) await syncTo(dest);
    const b2 = (await catalog.list()).find((r) => r.id === 'b2')!;
    await sftp.crash();
    const out = await pruneTo(1);
    expect(out.removed).toEqual(['b2']);
    expect((await catalog.list()).map((r) => r.id)).toEqual(['b3']);
    const byLoc = Object.fromEntries(out.locations.map((l) => [l.location, l]));
    expect(byLoc.aws).toMatchObject({ status: 'removed', files_pending: 0 });
    expect(byLoc.sftp).toMatchObject({ status: 'unreachable', files_removed: 0 });
    expect(byLoc.sftp!.files_pending).toBeGreaterThanOrEqual(4);
    expect(byLoc.sftp!.error).toBeTruthy();

    await sftp.restart();
    const stillThere = await presentAt('sftp', b2);
    expect(stillThere.length).toBeGreaterThan(byLoc.sftp!.files_pending);
    // The next sync (to either place) first retries what the cleanup could not remove.
    await syncTo('aws');
    const b3 = (await catalog.list())[0]!;
    const sharedWithB3 = b2.files.filter((f) => b3.files.some((g) => g.path === f.path));
    expect(sharedWithB3).toHaveLength(1);
    expect(await presentAt('sftp', b2)).toEqual(sharedWithB3.map((f) => f.path));
    expect(await presentAt('sftp', b3)).toEqual(b3.files.map((f) => f.path));
  });

  it("a schedule's auto purge removes its own old backups here and at the locations", async () => {
    await backup('nightly_crane-7_20260104T0200', 4);
    await backup('nightly_crane-7_20260105T0200', 5);
    await syncTo('aws');
    const old = (await catalog.list()).find((r) => r.id === 'nightly_crane-7_20260104T0200')!;
    const out = await places.autoPurge({ id: 'nightly', retention_count: 1 }, 'crane-7');
    expect(out.removed).toEqual([old.id]);
    expect(out.locations).toEqual([
      { location: 'aws', status: 'removed', files_removed: 4, files_pending: 0 },
    ]);
    // b3 is not the schedule's own: its retention is not the schedule's to apply.
    expect((await catalog.list()).map((r) => r.id)).toEqual([
      'b3',
      'nightly_crane-7_20260105T0200',
    ]);
    const b3 = (await catalog.list())[0]!;
    const sharedPath = old.files.find((f) => b3.files.some((g) => g.path === f.path))!.path;
    expect(await presentAt('aws', old)).toEqual([sharedPath]);
  });
});
