import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupGateway } from '../../../src/main/core/backup/gateway-backup';
import { createKeyFile, generateBackupKey } from '../../../src/main/core/backup/keys';
import { BackupRepository } from '../../../src/main/core/backup/repository';
import { loadSiteKey } from '../../../src/main/core/backup/site-key';
import { verifyBackup } from '../../../src/main/core/backup/verify';
import { connectSsh } from '../../../src/main/core/gateways/ssh-session';
import { startGatewaySim, type GatewaySim } from '../../gateway-sim';
import { startProxy } from '../ota/proxy';

const CHEAP = { n: 2 ** 14, r: 8, p: 1 };

describe('a backup whose link drops, or that is cancelled', () => {
  let sim: GatewaySim;
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  let dir: string;

  beforeAll(async () => {
    sim = await startGatewaySim({ contractToolsOnly: true });
    const app = join(sim.root, 'data', 'app');
    mkdirSync(app, { recursive: true });
    for (let i = 0; i < 40; i++) writeFileSync(join(app, `f${i}`), randomBytes(200_000));
    proxy = await startProxy({ host: sim.host, port: sim.port });
    dir = mkdtempSync(join(tmpdir(), 'rigger-backup-drop-'));
  });
  afterAll(async () => {
    await proxy?.stop();
    await sim?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails, lists no half backup and leaves the store as it was', async () => {
    const repo = new BackupRepository(
      dir,
      createKeyFile(dir, { passphrase: 'link drop passphrase' }, CHEAP),
      loadSiteKey(dir),
    );
    const connect = () =>
      connectSsh(
        { host: '127.0.0.1', port: proxy.port, user: sim.user, privateKeyFile: sim.keyFile },
        { pinned: { fingerprint: sim.hostKeyFingerprint }, acceptNew: false },
        { connectTimeoutMs: 10_000, commandTimeoutMs: 60_000 },
      );
    const request = (id: string) => ({
      id,
      name: id,
      type: 'full' as const,
      description: '',
      created_by: 'test',
      encrypt: true,
      gateway: { name: 'gw', gateway_id: 'GW', model: 'M', version: null, serial_number: null },
      components: { data: { paths: [join(sim.root, 'data')] } },
    });
    // A whole backup first, so the drop happens in a store that has something to lose.
    const s1 = await connect();
    await backupGateway(s1, repo, request('whole'));
    await s1.close();
    writeFileSync(join(sim.root, 'data', 'app', 'f3'), randomBytes(200_000));
    writeFileSync(join(sim.root, 'data', 'app', 'f30'), randomBytes(200_000));
    const before = await repo.storedBytes();

    const s2 = await connect();
    let cut = false;
    await expect(
      backupGateway(s2, repo, {
        ...request('dropped'),
        onProgress: (p) => {
          if (p.step === 'reading_files' && p.processed > 1_000_000 && !cut) {
            cut = true;
            proxy.cutAll();
          }
        },
      }),
    ).rejects.toThrow();
    expect(cut).toBe(true);
    await s2.close().catch(() => undefined);
    expect(repo.ids()).toEqual(['whole']);
    expect(await repo.storedBytes()).toBe(before);
    expect(readdirSync(join(dir, 'objects')).filter((n) => n.startsWith('.partial'))).toEqual([]);
    expect(await verifyBackup(repo, 'whole')).toMatchObject({ verified: true });
  });

  it('cancelled mid-read: says so, cleans its partial data and lists nothing', async () => {
    const root = join(dir, 'cancel');
    const repo = new BackupRepository(root, generateBackupKey(), loadSiteKey(root));
    const session = await connectSsh(
      { host: sim.host, port: sim.port, user: sim.user, privateKeyFile: sim.keyFile },
      { pinned: { fingerprint: sim.hostKeyFingerprint }, acceptNew: false },
      { connectTimeoutMs: 10_000, commandTimeoutMs: 60_000 },
    );
    const ctl = new AbortController();
    try {
      await expect(
        backupGateway(session, repo, {
          id: 'cancelled',
          name: 'cancelled',
          type: 'full',
          description: '',
          created_by: 'test',
          encrypt: true,
          gateway: { name: 'gw', gateway_id: 'GW', model: 'M', version: null, serial_number: null },
          components: { data: { paths: [join(sim.root, 'data')] } },
          signal: ctl.signal,
          onProgress: (p) => {
            if (p.step === 'reading_files' && p.processed > 1_000_000) ctl.abort();
          },
        }),
      ).rejects.toMatchObject({ code: 'BACKUP_FAILED', details: { cancelled: true } });
      expect(ctl.signal.aborted).toBe(true);
      expect(repo.ids()).toEqual([]);
      expect(await repo.storedBytes()).toBe(0);
      // The session is still usable: only the archive's channel was closed.
      expect((await session.exec('echo alive')).stdout.toString()).toBe('alive\n');
    } finally {
      await session.close();
    }
  });
});
