import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core/core';
import { openBackupStore } from '../../../src/main/core/backup/store';
import { startGatewaySim, type GatewaySim } from '../../gateway-sim';
import { CLI } from '../../helpers/cli';
import { otaCore } from '../ota/setup';
import { settle } from '../recovery/setup';

const PASS = 'migration passphrase of the test';
const DATA = ['data', 'etc'];

/** Regular files (links not followed) under `dirs` of the sim's root, by absolute path. */
function regularFiles(root: string, dirs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      const st = lstatSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.isFile()) out[p] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  for (const d of dirs) walk(join(root, d));
  return out;
}

/** The snapshots as the earlier version stored them, with what the gateway held at the time. */
interface Taken {
  id: string;
  created_at: string;
  files: Record<string, string>;
  slot_sha256: string | null;
}

/** Snapshots made with the snapshot code of earlier versions (monitor.snapshot before backups). */
async function takeLegacy(core: Core, sim: GatewaySim, n: number): Promise<Taken[]> {
  const out: Taken[] = [];
  for (let i = 0; i < n; i++) {
    const slot = i % 2 === 0;
    const s = await core.call('monitor.snapshot', {
      gateway: 'gw',
      name: `legacy-${i}`,
      description: `note ${i}`,
      include_slot: slot,
      type: i === 1 ? 'automatic' : 'manual',
    });
    const j = await settle(core, s.job_id);
    expect(j.status, j.error ?? '').toBe('success');
    const row = (await core.call('snapshots.list', { gateway: 'gw' })).snapshots.find(
      (x) => x.id === s.snapshot_id,
    )!;
    const files = regularFiles(sim.root, DATA);
    out.push({
      id: s.snapshot_id,
      created_at: row.timestamp,
      files,
      slot_sha256: row.slot_image?.sha256 ?? null,
    });
  }
  return out;
}

/** The snapshot rows the earlier version's table still holds. */
const legacyLeft = (core: Core) =>
  core.call('snapshots.list', { gateway: 'gw' }).then((l) => l.snapshots.map((s) => s.id));

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
    const taken = await takeLegacy(core, sim, 3);
    // Without the key they wait, untouched, and the status says so.
    const locked = await core.call('backup.status', {});
    expect(locked.alerts.map((a) => a.message).join('\n')).toMatch(
      /3 snapshot\(s\) of an earlier Rigger wait for the backup key/,
    );
    expect(await legacyLeft(core)).toHaveLength(3);

    process.env.RIGGER_BACKUP_PASSPHRASE = PASS;
    const list = await core.call('backup.list', {});
    expect(list.backups.map((b) => b.id).sort()).toEqual(taken.map((t) => t.id).sort());
    for (const b of list.backups) {
      const t = taken.find((x) => x.id === b.id)!;
      expect(b.integrity).toBe('verified');
      // The snapshot list shows seconds; the backup keeps the original time to the millisecond.
      expect(Math.floor(new Date(b.created_at).getTime() / 1000)).toBe(
        new Date(t.created_at.replace(' ', 'T')).getTime() / 1000,
      );
    }
    expect(await legacyLeft(core)).toEqual([]);
    expect(readdirSync(join(core.info.data_dir, 'snapshots'))).toEqual([]);
    expectMigrated(core.info.data_dir, taken);
  });
});

describe('a migration killed half way', () => {
  it('resumes on the next start and loses no snapshot', async () => {
    delete process.env.RIGGER_BACKUP_PASSPHRASE;
    const sim = await startGatewaySim({ scheme: 'bootcount', booted: 'A', slotSize: 16 << 20 });
    const { core } = await otaCore(sim);
    const dataDir = core.info.data_dir;
    let taken: Taken[];
    try {
      taken = await takeLegacy(core, sim, 4);
    } finally {
      await core.close();
    }
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
      const left = await legacyLeft(again);
      // The kill came mid-way: some snapshots were not migrated yet, and none is lost.
      expect(left.length).toBeGreaterThan(0);
      const repo = openBackupStore(dataDir, { passphrase: PASS });
      for (const t of taken) expect(left.includes(t.id) || repo.has(t.id), t.id).toBe(true);

      const second = run();
      const out: Buffer[] = [];
      second.stdout.on('data', (d: Buffer) => out.push(d));
      const code = await new Promise((r) => second.on('close', r));
      expect(code).toBe(0);
      expect(await legacyLeft(again)).toEqual([]);
      expectMigrated(dataDir, taken);
      for (const t of taken) expect(Buffer.concat(out).toString()).toContain(t.id);
    } finally {
      await again.close();
      await sim.stop();
    }
  });
});
