import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupGateway } from '../../../src/main/core/backup/gateway-backup';
import { generateBackupKey } from '../../../src/main/core/backup/keys';
import { BackupRepository } from '../../../src/main/core/backup/repository';
import { restoreToGateway } from '../../../src/main/core/backup/restore-gateway';
import { loadSiteKey } from '../../../src/main/core/backup/site-key';
import { verifyBackup } from '../../../src/main/core/backup/verify';
import { BackupPlaces } from '../../../src/main/core/backup-places/places-service';
import { RepositoryCatalog } from '../../../src/main/core/backup-places/repository-catalog';
import { envSecrets } from '../../../src/main/core/backup-places/storage/secrets';
import { connectSsh } from '../../../src/main/core/gateways/ssh-session';
import { startS3, type S3Server } from '../../helpers/s3';
import { startSftp, type SftpServer } from '../../helpers/sftp';
import { startGatewaySim, type GatewaySim } from '../../gateway-sim';
import { snapshotTree } from '../backup/tree';

let sim: GatewaySim;
let s3: S3Server;
let sftp: SftpServer;
let dir: string;
let repo: BackupRepository;
let catalog: RepositoryCatalog;
let places: BackupPlaces;

const connect = () =>
  connectSsh(
    { host: sim.host, port: sim.port, user: sim.user, privateKeyFile: sim.keyFile },
    { pinned: { fingerprint: sim.hostKeyFingerprint }, acceptNew: false },
    { connectTimeoutMs: 10_000, commandTimeoutMs: 60_000 },
  );

beforeAll(async () => {
  [sim, s3, sftp] = await Promise.all([
    startGatewaySim({ contractToolsOnly: true }),
    startS3(['backups']),
    startSftp(),
  ]);
  dir = mkdtempSync(join(tmpdir(), 'rigger-sync-in-'));
  repo = new BackupRepository(join(dir, 'store'), generateBackupKey(), loadSiteKey(dir));
  catalog = new RepositoryCatalog(() => repo, 'local', join(dir, 'copies.json'));
  places = new BackupPlaces({
    catalog,
    locations: [
      { id: 'local', type: 'local', name: 'Local', enabled: true, default: true, path: repo.root },
      {
        id: 'aws',
        type: 'cloud',
        name: 'S3',
        enabled: true,
        bucket: 'backups',
        region: 'us-east-1',
        endpoint: s3.endpoint,
        force_path_style: true,
        path: 'site-a',
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
        path: join(sftp.root, 'rigger'),
        host_key_fingerprint: sftp.fingerprint,
        credentials_ref: 'fileserver',
      },
    ],
    policies: {
      default_location: 'local',
      replication_enabled: false,
      encryption_default: true,
      compression_default: 'gzip',
    },
    save: () => undefined,
    retentionNeeds: () => [],
    onProgress: () => undefined,
    secrets: envSecrets({
      RIGGER_STORAGE_AWS_ACCESS_KEY_ID: s3.accessKeyId,
      RIGGER_STORAGE_AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
      RIGGER_STORAGE_FILESERVER_KEY_FILE: sftp.keyFile,
    }),
    stateDir: join(dir, 'state'),
  });
}, 60_000);
afterAll(async () => {
  await Promise.all([sim?.stop(), s3?.stop(), sftp?.stop()]);
});

const sync = async (source: string, destination: string, ids = ['all']) => {
  const { response, done } = await places.storageSync({
    source,
    destination,
    backup_ids: ids,
    verify_after_sync: true,
  });
  return { response, results: await done };
};

describe('a backup brought back from SFTP and S3 to a laptop that lost it', () => {
  const app = () => join(sim.root, 'data', 'app');
  const etc = () => join(sim.root, 'etc');

  it('syncs out, is deleted here, comes back from each place, verifies and restores the gateway', async () => {
    mkdirSync(app(), { recursive: true });
    for (let i = 0; i < 5; i++) writeFileSync(join(app(), `f${i}`), randomBytes(200_000));
    const before = { app: snapshotTree(app()), etc: snapshotTree(etc()) };
    const session = await connect();
    try {
      await backupGateway(session, repo, {
        id: 'b',
        name: 'nightly',
        type: 'full',
        description: '',
        created_by: 'test',
        encrypt: true,
        gateway: { name: 'gw', gateway_id: 'GW', model: 'M', version: null, serial_number: null },
        components: { data: { paths: [app()] }, config: { paths: [etc()] } },
      });
      for (const to of ['aws', 'sftp']) {
        const out = await sync('local', to, ['b']);
        expect(out.results).toMatchObject([{ backup_id: 'b', status: 'synced' }]);
      }
      // The remote never sees plaintext: the app's files are not in any stored object.
      const marker = readFileSync(join(app(), 'f0')).subarray(0, 64);
      const stored = join(sftp.root, 'rigger', 'objects');
      for (const fan of readdirSync(stored))
        for (const n of readdirSync(join(stored, fan)))
          expect(readFileSync(join(stored, fan, n)).includes(marker)).toBe(false);

      for (const from of ['aws', 'sftp']) {
        await repo.delete('b');
        expect(repo.has('b')).toBe(false);
        expect((await places.remoteOnly(from)).backups).toMatchObject([
          { id: 'b', gateway: 'gw', type: 'full', signature_valid: true },
        ]);
        const out = await sync(from, 'local');
        expect(out.response).toMatchObject({
          source: from,
          destination: 'local',
          backups_to_sync: 1,
        });
        expect(out.results[0]!.error).toBeUndefined();
        expect(out.results).toMatchObject([{ backup_id: 'b', status: 'synced' }]);
        expect(out.results[0]!.bytes_sent).toBeGreaterThan(1_000_000);
        expect((await verifyBackup(repo, 'b')).verified).toBe(true);
        expect((await catalog.list())[0]).toMatchObject({ id: 'b', verified: true });
        expect((await catalog.list())[0]!.locations).toContain(from);
        expect(await places.remoteOnly(from)).toEqual({ location: from, backups: [] });
        // A second sync finds it here and fetches nothing.
        expect((await sync(from, 'local')).results).toMatchObject([
          { backup_id: 'b', status: 'already_present', bytes_sent: 0 },
        ]);
      }

      // The gateway is damaged; the backup that came back from the file server repairs it.
      writeFileSync(join(app(), 'f1'), 'corrupted');
      writeFileSync(join(etc(), 'gateway-release'), 'GATEWAY_ID=broken\n');
      const r = await restoreToGateway(session, repo, 'b', { components: ['data', 'config'] });
      expect(r.restored).toEqual([app(), etc()]);
      expect(snapshotTree(app())).toEqual(before.app);
      expect(snapshotTree(etc())).toEqual(before.etc);
    } finally {
      await session.close();
    }
  }, 180_000);

  it('refuses a remote copy with a flipped byte and commits nothing; a good copy then comes in', async () => {
    await repo.delete('b');
    const stored = join(sftp.root, 'rigger', 'objects');
    const files = readdirSync(stored).flatMap((fan) =>
      readdirSync(join(stored, fan)).map((n) => join(stored, fan, n)),
    );
    const victim = files.sort((a, b) => statSync(b).size - statSync(a).size)[0]!;
    const bytes = readFileSync(victim);
    bytes[bytes.length >> 1]! ^= 0x01;
    writeFileSync(victim, bytes);

    const out = await sync('sftp', 'local', ['b']);
    expect(out.results).toMatchObject([
      { backup_id: 'b', status: 'failed', error: { code: 'OTA_007' } },
    ]);
    expect(repo.has('b')).toBe(false);
    expect(existsSync(repo.file('b', 'manifest'))).toBe(false);
    expect(await catalog.list()).toEqual([]);

    // The objects that were proven wait for the next sync, which fetches only the rest.
    const again = await sync('aws', 'local', ['b']);
    expect(again.results).toMatchObject([{ backup_id: 'b', status: 'synced' }]);
    expect(again.results[0]!.bytes_resumed).toBeGreaterThan(0);
    expect((await verifyBackup(repo, 'b')).verified).toBe(true);
  }, 120_000);

  it('a sync cut after its first object lists nothing; the next one resumes from there', async () => {
    await repo.delete('b');
    const stop = new AbortController();
    const aws = places.open('aws');
    const cut = await catalog.pull(aws, ['b'], {
      verifyAfterSync: true,
      signal: stop.signal,
      onProgress: () => stop.abort(),
    });
    expect(cut).toMatchObject([{ backup_id: 'b', status: 'failed' }]);
    expect(repo.has('b')).toBe(false);
    expect(await catalog.list()).toEqual([]);
    const again = await catalog.pull(aws, ['b'], { verifyAfterSync: true });
    await aws.close();
    expect(again).toMatchObject([{ backup_id: 'b', status: 'synced' }]);
    expect(again[0]!.bytes_resumed).toBeGreaterThan(0);
    expect((await verifyBackup(repo, 'b')).verified).toBe(true);
  }, 120_000);

  it('refuses an unknown backup id at the source, naming it', async () => {
    await expect(sync('aws', 'local', ['nope'])).rejects.toMatchObject({
      code: 'NOT_FOUND',
      details: { storage: 'aws', backup_ids: ['nope'] },
    });
  });
});
