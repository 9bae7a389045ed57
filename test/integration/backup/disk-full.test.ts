import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupGateway } from '../../../src/main/core/backup/gateway-backup';
import { generateBackupKey } from '../../../src/main/core/backup/keys';
import { BackupRepository } from '../../../src/main/core/backup/repository';
import { loadSiteKey } from '../../../src/main/core/backup/site-key';
import { connectSsh, type SshSession } from '../../../src/main/core/gateways/ssh-session';
import { startGatewaySim, type GatewaySim } from '../../gateway-sim';

// The laptop's disk fills up mid-backup: the store lives on a 3 MiB tmpfs (as the test
// gateway's small slots do), and the gateway sends more than that.
describe("a backup that fills the laptop's disk", () => {
  let sim: GatewaySim;
  let session: SshSession;
  let disk: string;

  beforeAll(async () => {
    sim = await startGatewaySim({ contractToolsOnly: true });
    const app = join(sim.root, 'data', 'app');
    mkdirSync(app, { recursive: true });
    for (let i = 0; i < 12; i++) writeFileSync(join(app, `f${i}`), randomBytes(500_000));
    session = await connectSsh(
      { host: sim.host, port: sim.port, user: sim.user, privateKeyFile: sim.keyFile },
      { pinned: { fingerprint: sim.hostKeyFingerprint }, acceptNew: false },
      { connectTimeoutMs: 10_000, commandTimeoutMs: 60_000 },
    );
    disk = mkdtempSync(join(tmpdir(), 'rigger-full-disk-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', disk]);
  });
  afterAll(async () => {
    await session?.close();
    await sim?.stop();
    if (disk) {
      execFileSync('umount', ['-l', disk]);
      rmSync(disk, { recursive: true, force: true });
    }
  });

  it('fails with STORAGE_FULL, lists nothing and leaves no partial data', async () => {
    const root = join(disk, 'backups');
    const repo = new BackupRepository(root, generateBackupKey(), loadSiteKey(root));
    await expect(
      backupGateway(session, repo, {
        id: 'too-big',
        name: 'too-big',
        type: 'full',
        description: '',
        created_by: 'test',
        encrypt: true,
        gateway: { name: 'gw', gateway_id: 'GW', model: 'M', version: null, serial_number: null },
        components: { data: { paths: [join(sim.root, 'data', 'app')] } },
      }),
    ).rejects.toMatchObject({ code: 'STORAGE_FULL' });
    expect(repo.ids()).toEqual([]);
    expect(await repo.storedBytes()).toBe(0);
    expect(readdirSync(join(root, 'objects')).filter((n) => n.startsWith('.partial'))).toEqual([]);
  });
});
