import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupGateway } from '../../../src/main/core/backup/gateway-backup';
import { generateBackupKey } from '../../../src/main/core/backup/keys';
import { BackupRepository } from '../../../src/main/core/backup/repository';
import { loadSiteKey } from '../../../src/main/core/backup/site-key';
import { connectSsh, type SshSession } from '../../../src/main/core/gateways/ssh-session';
import { startGatewaySim, type GatewaySim } from '../../gateway-sim';

// The gateway's tar starts late (a busy eMMC), so a file can change after the gateway listed
// its SHA-256 and before the archive reads it: the backup must notice and not exist.
describe('a file that changes between the listing and the archive', () => {
  let sim: GatewaySim;
  let session: SshSession;
  let dir: string;

  beforeAll(async () => {
    sim = await startGatewaySim({ slowCommands: { tar: 1500 } });
    mkdirSync(join(sim.root, 'data', 'app'), { recursive: true });
    for (let i = 0; i < 10; i++)
      writeFileSync(join(sim.root, 'data', 'app', `f${i}`), randomBytes(20_000));
    session = await connectSsh(
      { host: sim.host, port: sim.port, user: sim.user, privateKeyFile: sim.keyFile },
      { pinned: { fingerprint: sim.hostKeyFingerprint }, acceptNew: false },
      { connectTimeoutMs: 10_000, commandTimeoutMs: 60_000 },
    );
    dir = mkdtempSync(join(tmpdir(), 'rigger-backup-moving-'));
  });
  afterAll(async () => {
    await session?.close();
    await sim?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails naming the file, lists no backup and keeps nothing it added', async () => {
    const repo = new BackupRepository(dir, generateBackupKey(), loadSiteKey(dir));
    const victim = join(sim.root, 'data', 'app', 'f5');
    let changed = false;
    await expect(
      backupGateway(session, repo, {
        id: 'moving',
        name: 'moving',
        type: 'full',
        description: '',
        created_by: 'test',
        encrypt: true,
        gateway: { name: 'gw', gateway_id: 'GW', model: 'M', version: null, serial_number: null },
        components: { data: { paths: [join(sim.root, 'data', 'app')] } },
        onProgress: (p) => {
          // Listed, and the archive has not started reading yet.
          if (p.files_total !== null && !changed) {
            changed = true;
            writeFileSync(victim, randomBytes(20_000));
          }
        },
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION_ERROR', message: /f5 does not match/ });
    expect(changed).toBe(true);
    expect(repo.ids()).toEqual([]);
    expect(await repo.storedBytes()).toBe(0);
  });
});
