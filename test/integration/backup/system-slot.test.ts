import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  backupGateway,
  type GatewayBackupRequest,
} from '../../../src/main/core/backup/gateway-backup';
import { generateBackupKey } from '../../../src/main/core/backup/keys';
import { BackupRepository } from '../../../src/main/core/backup/repository';
import { loadSiteKey } from '../../../src/main/core/backup/site-key';
import type { SystemSlotRequest } from '../../../src/main/core/backup/system-slot';
import { verifyBackup } from '../../../src/main/core/backup/verify';
import { connectSsh, type SshSession } from '../../../src/main/core/gateways/ssh-session';
import { profileSchema, type Profile } from '../../../src/shared/profile';
import { startGatewaySim, type GatewaySim } from '../../gateway-sim';

const SLOT_SIZE = 4 * 1024 * 1024;

describe.each([
  ['bootcount', {}],
  ['rauc, contract tools only', { scheme: 'rauc' as const, contractToolsOnly: true }],
])('the system component (%s)', (_t, opts) => {
  let sim: GatewaySim;
  let session: SshSession;
  let profile: Profile;
  let dir: string;
  let record: { version: string | null; size: number; sha256: string };

  beforeAll(async () => {
    sim = await startGatewaySim({ ...opts, slotSize: SLOT_SIZE });
    profile = profileSchema.parse(sim.profile);
    const status = JSON.parse(readFileSync(profile.status_file, 'utf8')) as Record<
      string,
      typeof record
    >;
    record = status.A!;
    session = await connectSsh(
      { host: sim.host, port: sim.port, user: sim.user, privateKeyFile: sim.keyFile },
      { pinned: { fingerprint: sim.hostKeyFingerprint }, acceptNew: false },
      { connectTimeoutMs: 10_000, commandTimeoutMs: 60_000 },
    );
    dir = mkdtempSync(join(tmpdir(), 'rigger-backup-system-'));
  });
  afterAll(async () => {
    await session?.close();
    await sim?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const request = (id: string, system: Partial<SystemSlotRequest>): GatewayBackupRequest => ({
    id,
    name: id,
    type: 'full',
    description: '',
    created_by: 'test',
    encrypt: true,
    gateway: {
      name: 'gw',
      gateway_id: 'GW',
      model: profile.model,
      version: null,
      serial_number: null,
    },
    components: {},
    system: {
      slot: 'A',
      device: profile.slots.A.device,
      slot_size: profile.slots.A.size_bytes,
      record,
      inLibrary: () => false,
      ...system,
    },
  });

  it('records a proven library image by its SHA-256 and stores no image bytes', async () => {
    const repo = new BackupRepository(join(dir, 'lib'), generateBackupKey(), loadSiteKey(dir));
    const seen: string[] = [];
    const r = await backupGateway(
      session,
      repo,
      request('lib', { inLibrary: (s) => (seen.push(s), true) }),
    );
    expect(seen).toEqual([record.sha256]);
    expect(r.manifest.system).toEqual({
      slot: 'A',
      version: record.version,
      size: record.size,
      image_sha256: record.sha256,
      stored: false,
    });
    expect(r.added_bytes).toBe(0);
    expect(await verifyBackup(repo, 'lib')).toMatchObject({ verified: true, objects_checked: 0 });
  });

  it('stores the recorded image when it is not in the library, checked by the gateway read-back', async () => {
    const repo = new BackupRepository(join(dir, 'copy'), generateBackupKey(), loadSiteKey(dir));
    const r = await backupGateway(session, repo, request('copy', {}));
    expect(r.manifest.system).toMatchObject({
      image_sha256: record.sha256,
      size: record.size,
      stored: true,
    });
    expect(r.added_bytes).toBeGreaterThan(record.size);
    expect(await verifyBackup(repo, 'copy')).toMatchObject({ verified: true, objects_checked: 1 });
  });

  it('stores the whole slot when the status file does not match what the slot holds', async () => {
    const repo = new BackupRepository(join(dir, 'whole'), generateBackupKey(), loadSiteKey(dir));
    const lying = { ...record, sha256: 'f'.repeat(64) };
    const r = await backupGateway(
      session,
      repo,
      request('whole', { record: lying, inLibrary: () => true }),
    );
    expect(r.manifest.system).toMatchObject({
      size: profile.slots.A.size_bytes,
      stored: true,
      version: null,
    });
    expect(r.manifest.system!.image_sha256).not.toBe(lying.sha256);
    expect(await verifyBackup(repo, 'whole')).toMatchObject({ verified: true });
  });

  it('leaves nothing when the slot device cannot be read', async () => {
    const repo = new BackupRepository(join(dir, 'gone'), generateBackupKey(), loadSiteKey(dir));
    await expect(
      backupGateway(
        session,
        repo,
        request('gone', { device: join(sim.root, 'dev', 'nope'), record: null }),
      ),
    ).rejects.toMatchObject({ code: 'COMMAND_FAILED' });
    expect(repo.ids()).toEqual([]);
    expect(await repo.storedBytes()).toBe(0);
  });
});
