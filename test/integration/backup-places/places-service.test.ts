import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackupCatalog } from '../../../src/main/core/backup-places/catalog';
import {
  BackupPlaces,
  type ProgressMessage,
} from '../../../src/main/core/backup-places/places-service';
import { envSecrets } from '../../../src/main/core/backup-places/storage/secrets';
import type { BackupRecord, StorageLocationConfig } from '../../../src/shared/backup-places';
import { startS3, type S3Server } from '../../helpers/s3';

let s3: S3Server;
let dir: string;
const records: BackupRecord[] = [];

/** The backup store's side, in memory (the real store lives on another branch): files on disk. */
const catalog: BackupCatalog = {
  list: async () => records.map((r) => ({ ...r, locations: [...(r.locations ?? [])] })),
  remove: async (id) => {
    const i = records.findIndex((r) => r.id === id);
    for (const f of records[i]!.files) rmSync(join(dir, 'local', f.path));
    records.splice(i, 1);
  },
  blobSizes: async () => new Map(),
  addLocation: async (id, loc) => {
    const r = records.find((x) => x.id === id)!;
    r.locations = [...new Set([...(r.locations ?? []), loc])];
  },
};

function addBackup(id: string, created_at: string): BackupRecord {
  const body = randomBytes(100 * 1024);
  const path = `GW-001/${id}/data.rbk`;
  mkdirSync(dirname(join(dir, 'local', path)), { recursive: true });
  writeFileSync(join(dir, 'local', path), body);
  const r: BackupRecord = {
    id,
    gateway: 'GW-001',
    site: 'Quay 1',
    type: 'full',
    created_at,
    size: body.length,
    files: [{ path, sha256: createHash('sha256').update(body).digest('hex'), size: body.length }],
    verified: false,
    protected: false,
    status: 'completed',
    locations: ['local'],
  };
  records.push(r);
  return r;
}

beforeAll(async () => {
  s3 = await startS3(['backups']);
  dir = mkdtempSync(join(tmpdir(), 'rigger-places-'));
  for (let d = 1; d <= 6; d++) addBackup(`b${d}`, `2025-06-0${d}T02:00:00Z`);
});
afterAll(async () => {
  await s3?.stop();
});

function service(progress: ProgressMessage[]) {
  const locations: StorageLocationConfig[] = [
    {
      id: 'local',
      type: 'local',
      name: 'Local Storage',
      enabled: true,
      default: true,
      path: join(dir, 'local'),
      quota: '10 GB',
      cleanup_threshold: 80,
    },
    {
      id: 'aws',
      type: 'cloud',
      name: 'AWS S3 Bucket',
      enabled: true,
      bucket: 'backups',
      region: 'us-east-1',
      endpoint: s3.endpoint,
      force_path_style: true,
      credentials_ref: 'aws',
    },
    { id: 'sftp', type: 'remote', name: 'SFTP Server', enabled: false },
  ];
  return new BackupPlaces({
    catalog,
    locations,
    policies: {
      default_location: 'local',
      replication_enabled: true,
      encryption_default: true,
      compression_default: 'gzip',
    },
    save: () => undefined,
    retentionNeeds: () => [],
    onProgress: (m) => progress.push(m),
    secrets: envSecrets({
      RIGGER_STORAGE_AWS_ACCESS_KEY_ID: s3.accessKeyId,
      RIGGER_STORAGE_AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
    }),
    stateDir: join(dir, 'state'),
    now: () => new Date('2025-06-07T00:00:00Z'),
  });
}

describe('backup places service', () => {
  it("lists storage in the seed's shape, with health from each place", async () => {
    const out = await service([]).storage();
    expect(out.storage_locations.map((l) => [l.id, l.health])).toEqual([
      ['local', 'good'],
      ['aws', 'connected'],
      ['sftp', 'offline'],
    ]);
    expect(out.storage_locations[2]).toMatchObject({
      configuration_required: true,
      enabled: false,
    });
    expect(out.summary).toMatchObject({
      total_backups: 6,
      total_size: '600 KB',
      largest_backup: '100 KB',
      oldest_backup: '2025-06-01T02:00:00Z',
    });
  });

  it('syncs all backups to the bucket and records the copies', async () => {
    const progress: ProgressMessage[] = [];
    const svc = service(progress);
    const { response, done } = await svc.storageSync({
      source: 'local',
      destination: 'aws',
      backup_ids: ['all'],
      verify_after_sync: true,
    });
    expect(response).toMatchObject({
      status: 'sync_started',
      backups_to_sync: 6,
      estimated_size: '600 KB',
      source: 'local',
      destination: 'aws',
    });
    expect((await done).every((r) => r.status === 'synced')).toBe(true);
    expect(records.every((r) => r.locations!.includes('aws'))).toBe(true);
    expect(progress.at(-1)).toMatchObject({
      type: 'sync_progress',
      sync_id: response.sync_id,
      progress: 100,
    });
    await expect(
      svc.storageSync({ source: 'local', destination: 'sftp', backup_ids: ['all'] }),
    ).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    await expect(
      svc.storageSync({ source: 'local', destination: 'aws', backup_ids: ['nope'] }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('cleanup: dry run, a stale plan refused, then exactly the list removed once', async () => {
    const progress: ProgressMessage[] = [];
    const svc = service(progress);
    const first = await svc.cleanup({
      dry_run: true,
      retention_policy: 'keep_last_3',
      reason: 'Monthly cleanup',
    });
    expect(first.analysis).toMatchObject({
      total_backups: 6,
      eligible_for_removal: 3,
      space_to_free: '300 KB',
      backups_to_keep: 3,
    });
    addBackup('b7', '2025-06-06T23:00:00Z');
    await expect(
      svc.cleanupExecute({ cleanup_plan_id: first.cleanup_plan_id, confirmation: true }),
    ).rejects.toThrow(/stale/);
    const plan = await svc.cleanup({ dry_run: true, retention_policy: 'keep_last_3' });
    await expect(svc.cleanupExecute({ cleanup_plan_id: plan.cleanup_plan_id })).rejects.toThrow(
      /confirmation/,
    );
    const { response, done } = await svc.cleanupExecute({
      cleanup_plan_id: plan.cleanup_plan_id,
      confirmation: true,
    });
    expect(response).toMatchObject({
      status: 'cleanup_started',
      backups_to_remove: 4,
      estimated_space: '400 KB',
    });
    const out = await done;
    expect(out.removed).toEqual(plan.backups_to_remove.map((b) => b.id));
    expect(records.map((r) => r.id)).toEqual(['b5', 'b6', 'b7']);
    expect(existsSync(join(dir, 'local/GW-001/b1/data.rbk'))).toBe(false);
    expect(progress.at(-1)).toMatchObject({ type: 'cleanup_progress', progress: 100 });
    await expect(
      svc.cleanupExecute({ cleanup_plan_id: plan.cleanup_plan_id, confirmation: true }),
    ).rejects.toThrow(/already executed/);
  });

  it('replication copies a new backup to the bucket; a place that is down does not block it', async () => {
    const svc = service([]);
    svc.storageUpdate({
      storage_locations: {
        sftp: {
          enabled: true,
          host: '127.0.0.1',
          port: 1,
          user: 'root',
          path: '/srv',
          host_key_fingerprint: 'SHA256:x',
          credentials_ref: 'fs',
        },
      },
    });
    const r = addBackup('b8', '2025-06-06T23:30:00Z');
    const out = await svc.replicateNew(r);
    expect(out.find((x) => x.location === 'aws')!.error).toBeUndefined();
    expect(out.find((x) => x.location === 'sftp')!.error?.code).toBe('SECRET_UNAVAILABLE');
    expect(records.find((x) => x.id === 'b8')!.locations).toEqual(['local', 'aws']);
    expect(() => svc.storageUpdate({ storage_locations: { local: { quota: 'lots' } } })).toThrow(
      /quota/,
    );
  });
});
