import { randomBytes } from 'node:crypto';
import {
  linkSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileComponents } from '../../../src/main/core/backup/components';
import {
  backupGateway,
  type GatewayBackupRequest,
} from '../../../src/main/core/backup/gateway-backup';
import { createKeyFile } from '../../../src/main/core/backup/keys';
import { BackupRepository } from '../../../src/main/core/backup/repository';
import { restoreToFolder } from '../../../src/main/core/backup/restore-folder';
import { loadSiteKey } from '../../../src/main/core/backup/site-key';
import { listSnapshots } from '../../../src/main/core/backup/snapshots-view';
import { verifyBackup } from '../../../src/main/core/backup/verify';
import { listBackups } from '../../../src/main/core/backup/views';
import { backupListQuerySchema, snapshotListSchema } from '../../../src/shared/backup';
import { connectSsh, type SshSession } from '../../../src/main/core/gateways/ssh-session';
import { profileSchema } from '../../../src/shared/profile';
import { startGatewaySim, type GatewaySim, type SimOptions } from '../../gateway-sim';
import { snapshotTree } from './tree';

const CHEAP = { n: 2 ** 14, r: 8, p: 1 };

/** Files a real gateway's /data and /etc hold: nested, empty, odd names, links, private modes. */
function populate(sim: GatewaySim): void {
  const data = join(sim.root, 'data');
  mkdirSync(join(data, 'app', 'db', 'deep'), { recursive: true });
  for (let i = 0; i < 40; i++)
    writeFileSync(join(data, 'app', `blob-${i}.bin`), randomBytes(50_000));
  writeFileSync(join(data, 'app', 'db', 'deep', 'state.db'), randomBytes(300_000));
  writeFileSync(join(data, 'app', 'empty'), '');
  writeFileSync(join(data, 'app', 'name with spaces.conf'), 'a = 1\n');
  writeFileSync(join(data, 'app', '.hidden'), 'dotfile\n');
  writeFileSync(join(data, 'app', 'secret.key'), 'k\n', { mode: 0o600 });
  symlinkSync('db/deep/state.db', join(data, 'app', 'current.db'));
  linkSync(join(data, 'app', 'blob-0.bin'), join(data, 'app', 'blob-0.hard'));
  mkdirSync(join(data, 'app', 'empty-dir'));
}

const CASES: Array<[string, SimOptions]> = [
  ['the test gateway', {}],
  ['a gateway with only the contract tools', { contractToolsOnly: true }],
];

describe.each(CASES)('backing up %s', (_title, opts) => {
  let sim: GatewaySim;
  let session: SshSession;
  let repo: BackupRepository;
  let dir: string;
  let req: (id: string) => GatewayBackupRequest;

  beforeAll(async () => {
    sim = await startGatewaySim(opts);
    populate(sim);
    session = await connectSsh(
      { host: sim.host, port: sim.port, user: sim.user, privateKeyFile: sim.keyFile },
      { pinned: { fingerprint: sim.hostKeyFingerprint }, acceptNew: false },
      { connectTimeoutMs: 10_000, commandTimeoutMs: 60_000 },
    );
    dir = mkdtempSync(join(tmpdir(), 'rigger-backup-it-'));
    const key = createKeyFile(dir, { passphrase: 'integration passphrase' }, CHEAP);
    repo = new BackupRepository(dir, key, loadSiteKey(dir));
    const profile = profileSchema.parse(sim.profile);
    req = (id) => ({
      id,
      name: id,
      type: 'full',
      description: '',
      created_by: 'test',
      encrypt: true,
      gateway: {
        name: 'gw',
        gateway_id: 'GW-SIM',
        model: profile.model,
        version: null,
        serial_number: null,
      },
      components: fileComponents(profile),
    });
  });
  afterAll(async () => {
    await session?.close();
    await sim?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('backs up /data and /etc, verifies, dedups a second backup and restores byte for byte', async () => {
    const paths = fileComponents(profileSchema.parse(sim.profile)).config!.paths;
    expect(paths).toEqual([join(sim.root, 'data'), join(sim.root, 'etc')]);
    const steps = new Set<string>();
    const first = await backupGateway(session, repo, {
      ...req('first'),
      onProgress: (p) => steps.add(p.step),
    });
    expect([...steps]).toEqual(['listing_files', 'reading_files', 'writing_manifest']);
    expect(first.manifest.components.config!.files).toBe(first.files);
    expect(first.files).toBeGreaterThan(45);
    expect(first.added_bytes).toBeGreaterThan(2_000_000);
    const hard = first.manifest.entries.find((e) => e.path.endsWith('blob-0.hard'));
    expect(hard?.type === 'hardlink' || hard?.type === 'file').toBe(true);
    expect(first.manifest.entries.find((e) => e.path.endsWith('current.db'))).toMatchObject({
      type: 'symlink',
      link: 'db/deep/state.db',
    });
    expect(await verifyBackup(repo, 'first')).toMatchObject({
      verified: true,
      signature_valid: true,
    });

    writeFileSync(join(sim.root, 'data', 'app', 'name with spaces.conf'), 'a = 2\n');
    const second = await backupGateway(session, repo, req('second'));
    expect(second.added_bytes).toBeLessThan(first.added_bytes * 0.01);
    expect(await verifyBackup(repo, 'second')).toMatchObject({ verified: true });

    for (const id of ['first', 'second']) {
      const out = join(dir, `restore-${id}`);
      await restoreToFolder(repo, id, out);
      if (id === 'second') {
        for (const p of paths) expect(snapshotTree(join(out, p))).toEqual(snapshotTree(p));
      } else {
        const conf = join(out, sim.root, 'data', 'app', 'name with spaces.conf');
        expect(readFileSync(conf, 'utf8')).toBe('a = 1\n');
      }
    }
  });

  it("runs a database component's quiesce command before listing its files", async () => {
    const db = join(sim.root, 'data', 'app', 'db');
    const r = await backupGateway(session, repo, {
      ...req('quiesced'),
      components: {
        database: { paths: [db], quiesce_command: `echo checkpointed > '${db}/checkpoint'` },
      },
    });
    expect(r.manifest.components.database).toMatchObject({ quiesced: true, paths: [db] });
    const cp = r.manifest.entries.find((e) => e.path === `${db}/checkpoint`);
    expect(cp).toMatchObject({ type: 'file', size: 'checkpointed\n'.length });
    expect(await verifyBackup(repo, 'quiesced')).toMatchObject({ verified: true });
  });

  it("takes a configuration snapshot with tags and Rigger's settings, listed apart from backups", async () => {
    const settings = Buffer.from(JSON.stringify({ gateway: 'gw', safety: { pin: false } }));
    const r = await backupGateway(session, repo, {
      ...req('snap1'),
      type: 'config',
      kind: 'snapshot',
      tags: ['ACS', 'Safety'],
      settings,
      components: { acs_config: { paths: [join(sim.root, 'data', 'app', 'db')] } },
    });
    expect(r.manifest).toMatchObject({ kind: 'snapshot', tags: ['ACS', 'Safety'] });
    expect(r.manifest.settings?.size).toBe(settings.length);
    expect(await verifyBackup(repo, 'snap1')).toMatchObject({ verified: true });
    const list = snapshotListSchema.parse(listSnapshots(repo));
    expect(list.snapshots.map((s) => s.id)).toEqual(['snap1']);
    expect(list.snapshots[0]).toMatchObject({
      tags: ['ACS', 'Safety'],
      components: ['acs_config'],
      status: 'active',
    });
    const backups = await listBackups(repo, backupListQuerySchema.parse({}));
    expect(backups.backups.map((b) => b.id)).not.toContain('snap1');
  });

  it('refuses a component whose paths are all missing, and lists nothing for it', async () => {
    const before = repo.ids();
    await expect(
      backupGateway(session, repo, {
        ...req('missing'),
        components: { data: { paths: [join(sim.root, 'no-such-dir')] } },
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    expect(repo.ids()).toEqual(before);
  });
});
