import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core/core';
import { openBackupStore } from '../../../src/main/core/backup/store';
import { startGatewaySim, type GatewaySim } from '../../gateway-sim';
import { CLI } from '../../helpers/cli';
import { otaCore } from '../ota/setup';
import { makeLegacySnapshot } from '../../helpers/legacy-snapshot';
import { createSnapshotStore } from '../../../src/main/core/recovery/snapshot-store';
import { openDatabase } from '../../../src/main/core/store/database';

const PASS = 'migration passphrase of the test';

/** A snapshot as the earlier version stored it, with what the gateway held at the time. */
interface Taken {
  id: string;
  created_at: string;
  files: Record<string, string>;
  slot_sha256: string | null;
}

/** Snapshots in the earlier versions' layout, with what the gateway held at the time. */
function takeLegacy(dataDir: string, sim: GatewaySim, n: number): Taken[] {
  return Array.from({ length: n }, (_, i) => {
    const row = makeLegacySnapshot(dataDir, sim, {
      name: `legacy-${i}`,
      description: `note ${i}`,
      type: i === 1 ? 'automatic' : 'manual',
      slot: i % 2 === 0,
    });
    return {
      id: row.id,
      created_at: row.created_at,
      files: row.files,
      slot_sha256: row.slot_image?.sha256 ?? null,
    };
  });
}

/** The snapshot rows the earlier versions' table still holds. */
function legacyLeft(dataDir: string): string[] {
  const db = openDatabase(dataDir);
  try {
    return createSnapshotStore(db, join(dataDir, 'snapshots'))
      .list()
      .map((r) => r.id);
  } finally {
    db.close();
  }
}

/** Every snapshot is a verified backup of the same id with the same files and slot image. */
function expectMigrated(dataDir: string, taken: Taken[]) {
  const repo = openBackupStore(dataDir, { passphrase: PASS });
  for (const t of taken) {
    const { manifest, signature_valid } = repo.load(t.id);
    expect(signature_valid).toBe(true);
    expect(repo.lastVerification(t.id)?.verified).toBe(true);
    expect(manifest.encryption.enabled).toBe(true);
    expect(manifest.description).toBe(`note ${taken.indexOf(t)}`);
    expect(manifest.gateway.name).toBe('gw');
    expect(manifest.type).toBe(taken.indexOf(t) === 1 ? 'pre-ota' : 'full');
    expect(manifest.system?.image_sha256 ?? null).toBe(t.slot_sha256);
    const files: Record<string, string> = {};
    for (const e of manifest.entries) if (e.type === 'file') files[e.path] = e.sha256!;
    // The sim's gateway paths live under its root; the gateway's listing names them absolutely.
    const want = Object.fromEntries(
      Object.entries(t.files).filter(([p]) => !p.includes('/data/rigger/')),
    );
    for (const [p, h] of Object.entries(want)) expect(files[p], p).toBe(h);
  }
}

describe('snapshots of earlier versions become backups', () => {
  let sim: GatewaySim;
  let core: Core;

  beforeAll(async () => {
    delete process.env.RIGGER_BACKUP_PASSPHRASE;
    sim = await startGatewaySim({ scheme: 'bootcount', booted: 'A', slotSize: 8 * 1024 * 1024 });
    ({ core } = await otaCore(sim));
  });
  afterAll(async () => {
    await core?.close();
    await sim?.stop();
    delete process.env.RIGGER_BACKUP_PASSPHRASE;
  });

  it('wait for the key, then migrate verified with nothing lost', async () => {
    const dataDir = core.info.data_dir;
    const taken = takeLegacy(dataDir, sim, 3);
    // Without the key they wait, untouched, and the status says so.
    const locked = await core.call('backup.status', {});
    expect(locked.alerts.map((a) => a.message).join('\n')).toMatch(
      /3 snapshot\(s\) of an earlier Rigger wait for the backup key/,
    );
    expect(legacyLeft(dataDir)).toHaveLength(3);

    process.env.RIGGER_BACKUP_PASSPHRASE = PASS;
    const list = await core.call('backup.list', {});
    expect(list.backups.map((b) => b.id).sort()).toEqual(taken.map((t) => t.id).sort());
    for (const b of list.backups) {
      const t = taken.find((x) => x.id === b.id)!;
      expect(b.integrity).toBe('verified');
      expect(b.created_at).toBe(t.created_at);
    }
    expect(legacyLeft(dataDir)).toEqual([]);
    expect(readdirSync(join(dataDir, 'snapshots'))).toEqual([]);
    expectMigrated(dataDir, taken);
    // The recovery seed's list shows them, as the snapshots they were.
    const status = await core.call('recovery.status', { gateway: 'gw' });
    expect(status.snapshots.map((x) => x.id).sort()).toEqual(taken.map((t) => t.id).sort());
    expect(status.snapshots.find((x) => x.id === taken[0]!.id)).toMatchObject({
      bootable: true,
      partition: 'A',
      type: 'manual',
    });
    expect(status.snapshots.find((x) => x.id === taken[1]!.id)).toMatchObject({
      bootable: false,
      type: 'automatic',
    });
  });
});

describe('a migration killed half way', () => {
  it('resumes on the next start and loses no snapshot', async () => {
    delete process.env.RIGGER_BACKUP_PASSPHRASE;
    const sim = await startGatewaySim({ scheme: 'bootcount', booted: 'A', slotSize: 16 << 20 });
    const { core } = await otaCore(sim);
    const dataDir = core.info.data_dir;
    await core.close();
    const taken = takeLegacy(dataDir, sim, 4);
    const run = () =>
      spawn(process.execPath, ['--import', 'tsx', CLI, '--data-dir', dataDir, 'backup', 'list'], {
        env: { ...process.env, RIGGER_BACKUP_PASSPHRASE: PASS },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    // Killed as soon as the first backup is committed: the others are still snapshots.
    const first = run();
    const manifests = join(dataDir, 'backups', 'manifests');
    await new Promise<void>((resolve) => {
      const t = setInterval(() => {
        const done = existsSync(manifests)
          ? readdirSync(manifests).filter((f) => f.endsWith('.manifest')).length
          : 0;
        if (done >= 1 || first.exitCode !== null) {
          clearInterval(t);
          first.kill('SIGKILL');
          resolve();
        }
      }, 2);
    });
    await new Promise((r) => first.on('close', r));
    const again = createCore({ dataDir, mode: 'test' });
    try {
      const left = legacyLeft(dataDir);
      // The kill came mid-way: some snapshots were not migrated yet, and none is lost.
      expect(left.length).toBeGreaterThan(0);
      const repo = openBackupStore(dataDir, { passphrase: PASS });
      for (const t of taken) expect(left.includes(t.id) || repo.has(t.id), t.id).toBe(true);

      const second = run();
      const out: Buffer[] = [];
      second.stdout.on('data', (d: Buffer) => out.push(d));
      const code = await new Promise((r) => second.on('close', r));
      expect(code).toBe(0);
      expect(legacyLeft(dataDir)).toEqual([]);
      expectMigrated(dataDir, taken);
      for (const t of taken) expect(Buffer.concat(out).toString()).toContain(t.id);
    } finally {
      await again.close();
      await sim.stop();
    }
  });
});
