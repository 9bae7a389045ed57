import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  backupDetailsSchema,
  backupListSchema,
  recoveryPreviewSchema,
  restoreProgressSchema,
  snapshotListSchema,
} from '../../../src/shared/backup';
import { startGatewaySim, type GatewaySim } from '../../gateway-sim';
import { rigger as run } from '../../helpers/cli';

const rigger = (dataDir: string, ...args: string[]) => run('--data-dir', dataDir, ...args);

describe('rigger backup against the test gateway', () => {
  let sim: GatewaySim;
  let data: string;
  beforeAll(async () => {
    process.env.RIGGER_BACKUP_PASSPHRASE = 'cli test passphrase';
    sim = await startGatewaySim({ slotSize: 8 * 1024 * 1024 });
    data = mkdtempSync(join(tmpdir(), 'rigger-cli-backup-'));
    const add = await rigger(
      data,
      'gateway',
      'add',
      'gw',
      '--ssh',
      `${sim.user}@${sim.host}:${sim.port}`,
      '--key',
      sim.keyFile,
      '--profile',
      sim.profilePath,
    );
    expect(add.code, add.err).toBe(0);
    const st = await rigger(data, 'status', 'gw', '--accept-new-host-key');
    expect(st.code, st.err).toBe(0);
  });
  afterAll(async () => {
    await sim?.stop();
    delete process.env.RIGGER_BACKUP_PASSPHRASE;
  });

  it('creates, lists, shows, verifies, downloads, recovers and deletes', async () => {
    const c = await rigger(data, 'backup', 'create', 'gw', '--type', 'config', '--json');
    expect(c.code, c.err).toBe(0);
    const d = backupDetailsSchema.parse(JSON.parse(c.out));
    expect(d).toMatchObject({ type: 'Configuration', encryption: { enabled: true } });
    expect(existsSync(d.storage_locations[0]!.path)).toBe(true);
    const id = String(d.id);

    const l = backupListSchema.parse(
      JSON.parse((await rigger(data, 'backup', 'list', '--json')).out),
    );
    expect(l.backups.map((b) => b.id)).toEqual([id]);
    const s = await rigger(data, 'backup', 'show', id, '--json');
    expect(backupDetailsSchema.parse(JSON.parse(s.out)).id).toBe(id);
    const v = await rigger(data, 'backup', 'verify', id, '--json');
    expect(JSON.parse(v.out)).toMatchObject({ verified: true, signature_valid: true });
    const out = join(data, 'exported.tar');
    const dl = await rigger(data, 'backup', 'download', id, '--out', out);
    expect(dl.code, dl.err).toBe(0);
    expect(readFileSync(out).length).toBeGreaterThan(1000);

    const conf = join(sim.root, 'data', 'config', 'crane.conf');
    const original = readFileSync(conf, 'utf8');
    writeFileSync(conf, 'changed by the cli test\n');
    const p = await rigger(data, 'backup', 'recover', 'gw', id, '--preview', '--json');
    expect(
      recoveryPreviewSchema.parse(JSON.parse(p.out)).impact_analysis.components_affected,
    ).toEqual(['config']);
    const refused = await rigger(data, 'backup', 'recover', 'gw', id);
    expect(refused.code).not.toBe(0);
    expect(refused.err).toMatch(/--yes/);
    expect(readFileSync(conf, 'utf8')).toBe('changed by the cli test\n');
    const r = await rigger(data, 'backup', 'recover', 'gw', id, '--yes', '--json');
    expect(r.code, r.err).toBe(0);
    expect(restoreProgressSchema.parse(JSON.parse(r.out))).toMatchObject({ status: 'completed' });
    expect(readFileSync(conf, 'utf8')).toBe(original);

    const snap = await rigger(
      data,
      'backup',
      'snapshot',
      'create',
      'gw',
      '--name',
      'tagged',
      '--tags',
      'ACS,Zoning',
      '--json',
    );
    expect(snap.code, snap.err).toBe(0);
    const sl = snapshotListSchema.parse(
      JSON.parse((await rigger(data, 'backup', 'snapshot', 'list', '--json')).out),
    );
    expect(sl.snapshots[0]).toMatchObject({ name: 'tagged', tags: ['ACS', 'Zoning'] });

    const del = await rigger(data, 'backup', 'delete', id, '--json');
    expect(JSON.parse(del.out)).toMatchObject({ status: 'deleted' });
    const gone = await rigger(data, 'backup', 'show', id, '--json');
    expect(gone.code).not.toBe(0);
    expect(gone.err).toMatch(/BACKUP_NOT_FOUND/);
  });
});
