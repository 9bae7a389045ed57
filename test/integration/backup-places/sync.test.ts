import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalLocation } from '../../../src/main/core/backup-places/storage/local';
import {
  applyStorageUpdate,
  locationView,
  openLocation,
  storageAlert,
} from '../../../src/main/core/backup-places/storage/registry';
import { envSecrets } from '../../../src/main/core/backup-places/storage/secrets';
import { replicate, syncBackups } from '../../../src/main/core/backup-places/storage/sync';
import type { BackupRecord, StorageLocationConfig } from '../../../src/shared/backup-places';
import { startS3, type S3Server } from '../../helpers/s3';
import { startSftp, type SftpServer } from '../../helpers/sftp';

let s3: S3Server;
let sftp: SftpServer;
let dir: string;
let local: LocalLocation;
let configs: StorageLocationConfig[];
const records: BackupRecord[] = [];
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  [s3, sftp] = await Promise.all([startS3(['backups']), startSftp()]);
  dir = mkdtempSync(join(tmpdir(), 'rigger-sync-test-'));
  configs = [
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
      path: join(sftp.root, 'b'),
      host_key_fingerprint: sftp.fingerprint,
      credentials_ref: 'fs',
    },
  ];
  local = openLocation(configs[0]!, { secrets: envSecrets({}), stateDir: dir }) as LocalLocation;
  for (const id of ['b1', 'b2']) {
    const files = ['data.rbk', 'config.rbk'].map((name) => {
      const body = randomBytes(200 * 1024);
      const path = `GW-001/${id}/${name}`;
      mkdirSync(join(dir, 'local/GW-001', id), { recursive: true });
      writeFileSync(local.fileOf(path), body);
      return { path, sha256: sha(body), size: body.length };
    });
    records.push({
      id,
      gateway: 'GW-001',
      type: 'full',
      created_at: '2025-06-12T02:00:00Z',
      size: 400 * 1024,
      files,
      verified: true,
      protected: false,
      status: 'completed',
    });
  }
});
afterAll(async () => {
  await Promise.all([s3?.stop(), sftp?.stop()]);
});

const deps = () => ({
  stateDir: join(dir, 'state'),
  secrets: envSecrets({
    RIGGER_STORAGE_AWS_ACCESS_KEY_ID: s3.accessKeyId,
    RIGGER_STORAGE_AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
    RIGGER_STORAGE_FS_KEY_FILE: sftp.keyFile,
  }),
});

describe('sync and replication', () => {
  it('syncs local backups to S3 and SFTP with verify, then finds them present', async () => {
    for (const c of configs.slice(1)) {
      const dest = openLocation(c, deps())!;
      const first = await syncBackups(records, local, dest, { verifyAfterSync: true });
      expect(first.map((r) => r.status)).toEqual(['synced', 'synced']);
      expect(first[0]!.bytes_sent).toBe(400 * 1024);
      for (const f of records[0]!.files) expect(await dest.hash(f.path)).toBe(f.sha256);
      const again = await syncBackups(records, local, dest, { verifyAfterSync: true });
      expect(again.map((r) => [r.status, r.bytes_sent])).toEqual([
        ['already_present', 0],
        ['already_present', 0],
      ]);
      // And back: a location is a source as well (restore from there).
      const back = new LocalLocation({ id: 'restore', root: join(dir, `from-${c.id}`) });
      expect((await syncBackups(records, dest, back, { verifyAfterSync: true }))[1]!.status).toBe(
        'synced',
      );
      await dest.close();
    }
  });

  it('replaces a copy that does not read back as its hash', async () => {
    const dest = new LocalLocation({ id: 'copy', root: join(dir, 'copy') });
    await syncBackups(records.slice(0, 1), local, dest, { verifyAfterSync: true });
    writeFileSync(dest.fileOf(records[0]!.files[0]!.path), randomBytes(200 * 1024));
    const out = await syncBackups(records.slice(0, 1), local, dest, { verifyAfterSync: true });
    expect(out[0]!.status).toBe('synced');
    expect(await dest.hash(records[0]!.files[0]!.path)).toBe(records[0]!.files[0]!.sha256);
  });

  it('a location that is down fails alone, reported in health; the others get the backup', async () => {
    const down = { ...configs[2]!, port: 1 };
    const targets = [openLocation(configs[1]!, deps())!, openLocation(down, deps())!];
    const rec = { ...records[1]!, id: 'b3', files: records[1]!.files };
    const out = await replicate(rec, local, [local, ...targets]);
    expect(out.map((r) => r.location)).toEqual(['aws', 'sftp']);
    expect(out[0]!.error).toBeUndefined();
    expect(out[1]!.error?.code).toBe('HOST_UNREACHABLE');
    const view = locationView(down, await targets[1]!.health(), null);
    expect(view).toMatchObject({ id: 'sftp', type: 'remote', health: 'offline' });
    for (const t of targets) await t.close();
  });

  it("local health and views in the seed's shape; a storage_alert past the threshold", async () => {
    const h = await local.health();
    const view = locationView(configs[0]!, h, null);
    expect(view).toMatchObject({
      id: 'local',
      type: 'local',
      quota: '10 GB',
      used: '800 KB',
      health: 'good',
      default: true,
    });
    const small = { ...configs[0]!, quota: '1 MB', cleanup_threshold: 70 };
    const tight = await openLocation(small, deps())!.health();
    expect(tight.utilization).toBe(78);
    expect(storageAlert(small, tight)).toMatchObject({
      type: 'storage_alert',
      level: 'warning',
      storage: 'local',
      message: 'Storage usage at 78%',
      total: '1 MB',
    });
    const missing = locationView(
      { id: 'x', type: 'remote', name: 'SFTP Server', enabled: false },
      null,
      null,
    );
    expect(missing).toMatchObject({ health: 'offline', configuration_required: true });
  });

  it('storage/update applies the seed request, and refuses an unknown location or bad value whole', () => {
    const policies = {
      default_location: 'local',
      replication_enabled: false,
      encryption_default: true,
      compression_default: 'gzip' as const,
    };
    const out = applyStorageUpdate(configs, policies, {
      storage_locations: {
        local: { quota: '20 GB', cleanup_threshold: 80 },
        aws: { enabled: true, bucket: 'new-company-backups' },
      },
      policies: { replication_enabled: true },
    });
    expect(out.locations.find((l) => l.id === 'aws')!.bucket).toBe('new-company-backups');
    expect(out.policies.replication_enabled).toBe(true);
    expect(() =>
      applyStorageUpdate(configs, policies, { storage_locations: { nope: { enabled: true } } }),
    ).toThrow(/No storage location/);
    expect(() =>
      applyStorageUpdate(configs, policies, {
        storage_locations: { local: { cleanup_threshold: 500 } },
      }),
    ).toThrow(/local/);
  });
});
