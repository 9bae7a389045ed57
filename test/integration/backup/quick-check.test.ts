import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  backupGateway,
  type GatewayBackupRequest,
} from '../../../src/main/core/backup/gateway-backup';
import { createKeyFile } from '../../../src/main/core/backup/keys';
import type { ManifestEntry } from '../../../src/main/core/backup/manifest';
import { BackupRepository } from '../../../src/main/core/backup/repository';
import { loadSiteKey } from '../../../src/main/core/backup/site-key';
import { verifyBackup } from '../../../src/main/core/backup/verify';
import { connectSsh, type SshSession } from '../../../src/main/core/gateways/ssh-session';
import { startGatewaySim, type GatewaySim, type SimOptions } from '../../gateway-sim';

const CHEAP = { n: 2 ** 14, r: 8, p: 1 };
const HOUR_AGO = Date.now() / 1000 - 3600;

/** Entries without what the quick check may legitimately leave out (none today), by path. */
const byPath = (entries: ManifestEntry[]) =>
  Object.fromEntries(entries.map((e) => [e.path, { ...e, owner: undefined }]));

const CASES: Array<[string, SimOptions]> = [
  ['the test gateway', {}],
  ['a gateway with only the contract tools', { contractToolsOnly: true }],
];

describe.each(CASES)('the second backup of %s', (_title, opts) => {
  let sim: GatewaySim;
  let session: SshSession;
  let repo: BackupRepository;
  let app: string;
  const read: Record<string, number> = {};

  const backup = (id: string, extra: Partial<GatewayBackupRequest> = {}) =>
    backupGateway(session, repo, {
      id,
      name: id,
      type: 'full',
      description: '',
      created_by: 'test',
      encrypt: true,
      gateway: { name: 'gw', gateway_id: 'GW', model: 'M', version: null, serial_number: null },
      components: { data: { paths: [app] } },
      // Bytes of file content read over the link (the manifest step then reports the total).
      onProgress: (p) => {
        if (p.step === 'reading_files') read[id] = Math.max(read[id] ?? 0, p.processed);
      },
      ...extra,
    });

  beforeAll(async () => {
    sim = await startGatewaySim(opts);
    app = join(sim.root, 'data', 'quick');
    mkdirSync(join(app, 'deep', 'er'), { recursive: true });
    for (let i = 0; i < 30; i++) writeFileSync(join(app, `f${i}.bin`), randomBytes(20_000));
    writeFileSync(join(app, 'deep', 'er', 'state.db'), randomBytes(100_000));
    writeFileSync(join(app, 'name with spaces.conf'), 'a = 1\n');
    symlinkSync('deep/er/state.db', join(app, 'current.db'));
    for (const f of ['f1.bin', 'f2.bin', 'f3.bin', 'name with spaces.conf', 'deep/er/state.db'])
      utimesSync(join(app, f), HOUR_AGO, HOUR_AGO);
    session = await connectSsh(
      { host: sim.host, port: sim.port, user: sim.user, privateKeyFile: sim.keyFile },
      { pinned: { fingerprint: sim.hostKeyFingerprint }, acceptNew: false },
      { connectTimeoutMs: 10_000, commandTimeoutMs: 60_000 },
    );
    const dir = mkdtempSync(join(tmpdir(), 'rigger-quick-'));
    repo = new BackupRepository(
      dir,
      createKeyFile(dir, { passphrase: 'quick passphrase' }, CHEAP),
      loadSiteKey(dir),
    );
    // Every entry settled (older than the backup by more than 2 s), as on a gateway at night.
    for (let i = 0; i < 30; i++) utimesSync(join(app, `f${i}.bin`), HOUR_AGO, HOUR_AGO);
  });
  afterAll(async () => {
    await session?.close();
    await sim?.stop();
  });

  it('reads nothing of an unchanged gateway and records the same entries', async () => {
    await backup('b1');
    expect(read.b1).toBeGreaterThan(600_000);
    // Where the gateway's tar lists owners by name (BusyBox), this one learns them.
    const first = await backup('b1-names');
    const second = await backup('b2');
    expect(second.added_bytes).toBe(0);
    // No file content crossed the link: only the listing did.
    expect(read.b2 ?? 0).toBe(0);
    expect(byPath(second.manifest.entries)).toEqual(byPath(first.manifest.entries));
    expect((await verifyBackup(repo, 'b2')).verified).toBe(true);
  });

  it('reads only what changed, and records what a full read records', async () => {
    // Same size, other content, an mtime of another second: the content is read again.
    writeFileSync(join(app, 'f1.bin'), randomBytes(20_000));
    utimesSync(join(app, 'f1.bin'), HOUR_AGO - 60, HOUR_AGO - 60);
    chmodSync(join(app, 'f2.bin'), 0o600);
    unlinkSync(join(app, 'f3.bin'));
    writeFileSync(join(app, 'deep', 'new.conf'), 'b = 2\n');
    rmSync(join(app, 'current.db'));
    symlinkSync('f0.bin', join(app, 'current.db'));
    const quick = await backup('b3');
    expect(read.b3).toBeGreaterThan(0);
    expect(read.b3).toBeLessThan(100_000);
    const full = await backup('b4', { full_read: true });
    expect(read.b4).toBeGreaterThan(600_000);
    expect(byPath(quick.manifest.entries)).toEqual(byPath(full.manifest.entries));
    const f2 = quick.manifest.entries.find((e) => e.path === join(app, 'f2.bin'))!;
    expect(f2.mode).toBe(0o600);
    expect(quick.manifest.entries.some((e) => e.path.endsWith('/f3.bin'))).toBe(false);
    expect((await verifyBackup(repo, 'b3')).verified).toBe(true);
  });
  it('a cancel stops the quick read at once and leaves nothing of the backup behind', async () => {
    // 16 MB changed: the read of the changed files is under way when the cancel comes (what
    // SSH's window already carried, up to about 2 MB, may still be counted after it).
    for (let i = 10; i < 90; i++) writeFileSync(join(app, `f${i}.bin`), randomBytes(200_000));
    const ids = repo.ids();
    const stored = await repo.storedBytes();
    const ctl = new AbortController();
    let seen = 0;
    await expect(
      backup('cancelled', {
        signal: ctl.signal,
        onProgress: (p) => {
          if (p.step !== 'reading_files') return;
          seen = Math.max(seen, p.processed);
          if (p.processed > 100_000) ctl.abort();
        },
      }),
    ).rejects.toMatchObject({ code: 'BACKUP_FAILED', details: { cancelled: true } });
    // It stopped reading where it was cancelled, not at the end of the changed files.
    expect(seen).toBeGreaterThan(100_000);
    expect(seen).toBeLessThan(8_000_000);
    expect(repo.ids()).toEqual(ids);
    expect(await repo.storedBytes()).toBe(stored);
    // Only the archive's channel was closed: the session goes on, and so does the next backup.
    expect((await session.exec('echo alive')).stdout.toString()).toBe('alive\n');
    const next = await backup('after-cancel');
    expect(next.manifest.entries.filter((e) => e.path.endsWith('/f89.bin'))).toHaveLength(1);
    expect((await verifyBackup(repo, 'after-cancel')).verified).toBe(true);
  });
});
