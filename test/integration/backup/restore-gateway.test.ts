import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupGateway } from '../../../src/main/core/backup/gateway-backup';
import { generateBackupKey } from '../../../src/main/core/backup/keys';
import { BackupRepository } from '../../../src/main/core/backup/repository';
import { diffWithGateway, recoveryPreview } from '../../../src/main/core/backup/preview';
import { restoreToGateway } from '../../../src/main/core/backup/restore-gateway';
import { verifyBackup } from '../../../src/main/core/backup/verify';
import { recoveryPreviewSchema } from '../../../src/shared/backup';
import { loadSiteKey } from '../../../src/main/core/backup/site-key';
import { connectSsh } from '../../../src/main/core/gateways/ssh-session';
import { startGatewaySim, type GatewaySim } from '../../gateway-sim';
import { startProxy } from '../ota/proxy';
import { snapshotTree } from './tree';

describe('restoring a backup onto the gateway (contract tools only)', () => {
  let sim: GatewaySim;
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  let dir: string;
  let app: string;
  let etc: string;

  beforeAll(async () => {
    sim = await startGatewaySim({ contractToolsOnly: true });
    proxy = await startProxy({ host: sim.host, port: sim.port });
    app = join(sim.root, 'data', 'app');
    etc = join(sim.root, 'etc');
    mkdirSync(join(app, 'sub', 'deep'), { recursive: true });
    for (let i = 0; i < 20; i++) writeFileSync(join(app, `f${i}`), randomBytes(100_000));
    writeFileSync(join(app, 'sub', 'deep', 'x.conf'), 'x = 1\n', { mode: 0o640 });
    writeFileSync(join(app, 'empty'), '');
    writeFileSync(join(app, 'private'), 'p\n', { mode: 0o600 });
    symlinkSync('sub/deep/x.conf', join(app, 'link'));
    linkSync(join(app, 'f0'), join(app, 'f0.hard'));
    mkdirSync(join(app, 'empty-dir'), { mode: 0o750 });
    chmodSync(join(app, 'empty-dir'), 0o750);
    dir = mkdtempSync(join(tmpdir(), 'rigger-restore-gw-'));
  });
  afterAll(async () => {
    await proxy?.stop();
    await sim?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const connect = (port: number) =>
    connectSsh(
      { host: '127.0.0.1', port, user: sim.user, privateKeyFile: sim.keyFile },
      { pinned: { fingerprint: sim.hostKeyFingerprint }, acceptNew: false },
      { connectTimeoutMs: 10_000, commandTimeoutMs: 60_000 },
    );

  it('brings every path back byte for byte, modes and links included; a dropped link changes nothing', async () => {
    const repo = new BackupRepository(dir, generateBackupKey(), loadSiteKey(dir));
    const before = { app: snapshotTree(app), etc: snapshotTree(etc) };
    const session = await connect(sim.port);
    await backupGateway(session, repo, {
      id: 'b',
      name: 'b',
      type: 'full',
      description: '',
      created_by: 'test',
      encrypt: true,
      gateway: { name: 'gw', gateway_id: 'GW', model: 'M', version: null, serial_number: null },
      components: { data: { paths: [app] }, config: { paths: [etc] } },
    });
    // The gateway is damaged: changed, deleted, added files, a lost link, a wrong mode.
    writeFileSync(join(app, 'f3'), 'corrupted');
    unlinkSync(join(app, 'f4'));
    writeFileSync(join(app, 'stray'), 'new');
    unlinkSync(join(app, 'link'));
    chmodSync(join(app, 'private'), 0o666);
    writeFileSync(join(etc, 'gateway-release'), 'GATEWAY_ID=broken\n');
    const damaged = { app: snapshotTree(app), etc: snapshotTree(etc) };

    // A link that drops while the archive streams: the path stays wholly as it was.
    const cut = await connect(proxy.port);
    let dropped = false;
    await expect(
      restoreToGateway(cut, repo, 'b', {
        components: ['data'],
        onProgress: (p) => {
          if (p.bytes > 500_000 && !dropped) {
            dropped = true;
            proxy.cutAll();
          }
        },
      }),
    ).rejects.toMatchObject({
      code: 'RESTORE_FAILED',
      details: { restored: [], not_restored: [app] },
    });
    await cut.close().catch(() => undefined);
    expect(dropped).toBe(true);
    expect(snapshotTree(app)).toEqual(damaged.app);

    const steps: string[] = [];
    const r = await restoreToGateway(session, repo, 'b', { onProgress: (p) => steps.push(p.step) });
    expect(r.restored).toEqual([app, etc]);
    expect(steps).toContain('proving');
    expect(snapshotTree(app)).toEqual(before.app);
    expect(snapshotTree(etc)).toEqual(before.etc);
    expect(readdirSync(join(sim.root, 'data')).filter((n) => n.includes('rigger-'))).toEqual([]);
    await session.close();
  });

  it('previews exactly what a recovery then changes', async () => {
    const root = join(dir, 'preview');
    const repo = new BackupRepository(root, generateBackupKey(), loadSiteKey(root));
    const session = await connect(sim.port);
    try {
      await backupGateway(session, repo, {
        id: 'p',
        name: 'nightly',
        type: 'full',
        description: '',
        created_by: 'test',
        encrypt: true,
        gateway: { name: 'gw', gateway_id: 'GW', model: 'M', version: null, serial_number: null },
        components: { data: { paths: [app] }, config: { paths: [etc] } },
      });
      await verifyBackup(repo, 'p');
      writeFileSync(join(app, 'f1'), 'changed');
      writeFileSync(join(app, 'f2'), 'changed too');
      unlinkSync(join(app, 'f5'));
      writeFileSync(join(app, 'new-file'), 'not in the backup');
      const diff = await diffWithGateway(session, repo, 'p');
      const sample = repo.load('p').manifest.entries.find((e) => e.path === join(app, 'f9'))!;
      expect(diff.components.data).toMatchObject({
        files_differ: 2,
        files_missing: 1,
        files_extra: 1,
      });
      expect(diff.components.config).toMatchObject({
        files_differ: 0,
        files_missing: 0,
        files_extra: 0,
      });
      expect(diff.components.data!.rate).toBeGreaterThan(0);
      const preview = recoveryPreviewSchema.parse(
        recoveryPreview({ id: 'p', name: 'nightly' }, 'full', diff, {
          snapshotFirst: true,
          servicesCommands: false,
        }),
      );
      expect(preview.impact_analysis).toMatchObject({
        components_affected: ['data'],
        restart_required: false,
        data_loss_risk: 'medium',
        pre_recovery_actions: ['create_snapshot'],
      });
      expect(preview.warnings[0]).toMatch(
        /^data: 2 file\(s\) will be replaced, 1 brought back and 1 removed/,
      );

      await expect(
        restoreToGateway(session, repo, 'p', { components: ['data'], model: 'Other-GW' }),
      ).rejects.toMatchObject({ code: 'VALIDATION_ERROR', message: /of a M gateway/ });
      // One flipped bit in the store: refused before anything reaches the gateway.
      const victim = repo.sealed!.pathOf(repo.sealed!.name(sample.sha256!));
      const good = readFileSync(victim);
      const bad = Buffer.from(good);
      bad[bad.length - 20]! ^= 1;
      writeFileSync(victim, bad);
      const untouched = snapshotTree(app);
      await expect(
        restoreToGateway(session, repo, 'p', { components: ['data'] }),
      ).rejects.toMatchObject({
        code: 'RESTORE_FAILED',
        details: { integrity: 'failed' },
      });
      expect(snapshotTree(app)).toEqual(untouched);
      expect(repo.lastVerification('p')?.verified).toBe(false);
      writeFileSync(victim, good);
      const r = await restoreToGateway(session, repo, 'p', { components: ['data'], model: 'M' });
      expect(r.restored).toEqual([app]);
      const after = await diffWithGateway(session, repo, 'p');
      expect(after.components.data).toMatchObject({
        files_differ: 0,
        files_missing: 0,
        files_extra: 0,
      });
      expect(
        recoveryPreview({ id: 'p', name: 'nightly' }, 'full', after, {
          snapshotFirst: false,
          servicesCommands: false,
        }).impact_analysis,
      ).toMatchObject({ components_affected: [], data_loss_risk: 'none' });
    } finally {
      await session.close();
    }
  });
});
