import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core/core';
import {
  backupDetailsSchema,
  backupListSchema,
  backupStatusSchema,
  recoveryPreviewSchema,
} from '../../../src/shared/backup';
import { SAFE_SIGNALS, startGatewaySim, type GatewaySim } from '../../gateway-sim';
import { otaCore } from '../ota/setup';
import { settle } from '../recovery/setup';

const PASS = 'correct horse battery staple';

/** Every file under a folder. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)],
  );
}

describe('backups through core.call against the test gateway', () => {
  let sim: GatewaySim;
  let core: Core;
  let conf: string;
  let work: string;

  beforeAll(async () => {
    process.env.RIGGER_BACKUP_PASSPHRASE = PASS;
    sim = await startGatewaySim({ slotSize: 8 * 1024 * 1024 });
    ({ core, work } = await otaCore(sim));
    conf = join(sim.root, 'data', 'config', 'crane.conf');
  });
  afterAll(async () => {
    await core?.close();
    await sim?.stop();
    delete process.env.RIGGER_BACKUP_PASSPHRASE;
  });

  it('creates an encrypted, verified backup, previews and recovers a changed file', async () => {
    const original = readFileSync(conf, 'utf8');
    const started = await core.call('backup.create', { name: 'before_maintenance', gateway: 'gw' });
    expect(started).toMatchObject({ status: 'started', estimated_size: 'unknown' });
    expect(started.progress_url).toBe(`/cloud-integration/backup/progress/${started.job_id}`);
    const job = await settle(core, started.job_id);
    expect(job.status, job.error ?? '').toBe('success');
    const progress = await core.call('backup.progress', { job_id: started.job_id });
    expect(progress).toMatchObject({ status: 'completed', progress: 100, errors: 0 });

    const list = backupListSchema.parse(await core.call('backup.list', {}));
    expect(list.total).toBe(1);
    expect(list.backups[0]).toMatchObject({
      id: started.backup_id,
      encrypted: true,
      integrity: 'verified',
      components: ['system', 'config'],
    });
    const details = backupDetailsSchema.parse(
      await core.call('backup.details', { backup_id: started.backup_id }),
    );
    expect(details.integrity).toMatchObject({ verified: true, signature_valid: true });
    expect(details.encryption.key_id).toMatch(/\w/);
    expect(details.components.system!.included).toBe(true);
    const status = backupStatusSchema.parse(await core.call('backup.status', {}));
    expect(status).toMatchObject({ total_backups: 1, backup_system: 'healthy' });

    writeFileSync(conf, 'changed on the gateway\n');
    const preview = recoveryPreviewSchema.parse(
      await core.call('recovery.preview', { backup_id: started.backup_id }),
    );
    expect(preview.impact_analysis.components_affected).toEqual(['config']);
    expect(preview.warnings[0]).toMatch(/config: 1 file\(s\) will be replaced, 0 brought back/);

    await expect(
      core.call('recovery.initiate', { backup_id: started.backup_id, confirmation: false }),
    ).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    expect(readFileSync(conf, 'utf8')).toBe('changed on the gateway\n');

    const rec = await core.call('recovery.initiate', {
      backup_id: started.backup_id,
      confirmation: true,
      reason: 'config corrupted',
    });
    expect(rec.status).toBe('recovery_started');
    const done = await settle(core, rec.recovery_id);
    expect(done.status, done.error ?? '').toBe('success');
    expect(readFileSync(conf, 'utf8')).toBe(original);
    const rp = await core.call('restore.progress', { restore_id: rec.recovery_id });
    expect(rp).toMatchObject({ status: 'completed', integrity_check: 'passed', progress: 100 });
    expect(rp.details.files_processed).toBe(rp.details.files_total);

    // The pre-recovery backup holds the changed file; nothing differs from the backup now.
    const after = await core.call('recovery.preview', { backup_id: started.backup_id });
    expect(after.impact_analysis.components_affected).toEqual([]);
    const pre = String(rec.pre_recovery_snapshot_id);
    const listed = await core.call('backup.list', {});
    expect(listed.backups.map((b) => b.id)).toContain(pre);
    const del = await core.call('backup.delete', { backup_id: pre, reason: 'test' });
    expect(del).toMatchObject({ status: 'deleted' });
    expect((await core.call('backup.list', {})).total).toBe(1);
  });

  it('takes a tagged snapshot and restores it with a backup first', async () => {
    const snap = await core.call('backup.snapshotCreate', {
      name: 'Pre_Config_Change',
      tags: ['Config'],
      components: ['config'],
      include_settings: true,
    });
    expect(snap).toMatchObject({ status: 'created', name: 'Pre_Config_Change' });
    const list = await core.call('backup.snapshots', {});
    expect(list.snapshots[0]).toMatchObject({ id: snap.snapshot_id, tags: ['Config'] });
    writeFileSync(conf, 'changed again\n');
    const r = await core.call('backup.snapshotRestore', { snapshot_id: snap.snapshot_id });
    expect(r.pre_restore_backup_id).toMatch(/^pre_restore_/);
    const done = await settle(core, r.restore_id);
    expect(done.status, done.error ?? '').toBe('success');
    expect(readFileSync(conf, 'utf8')).not.toBe('changed again\n');
  });

  it('cancels a backup midway: nothing is listed and it can be started again', async () => {
    const big = join(sim.root, 'data', 'big');
    mkdirSync(big, { recursive: true });
    for (let i = 0; i < 40; i++) writeFileSync(join(big, `f${i}.bin`), randomBytes(1_000_000));
    const before = (await core.call('backup.list', {})).total;
    try {
      const s = await core.call('backup.create', { name: 'to_cancel', components: ['config'] });
      for (let i = 0; i < 300; i++) {
        const p = await core.call('backup.progress', { job_id: s.job_id });
        if (p.current_step === 'reading_files' || p.status !== 'running') break;
        await new Promise((r) => setTimeout(r, 20));
      }
      const c = await core.call('operation.cancel', { job_id: s.job_id, reason: 'test' });
      expect(c).toMatchObject({
        status: 'cancelled',
        partial_data_cleaned: true,
        can_restart: true,
      });
      const j = await settle(core, s.job_id);
      expect(j.status).toBe('cancelled');
      expect((await core.call('backup.list', {})).total).toBe(before);
      expect((await core.call('backup.progress', { job_id: s.job_id })).status).toBe('cancelled');
    } finally {
      rmSync(big, { recursive: true, force: true });
    }
  });

  it('refuses a recovery on a moving crane and from a tampered backup, changing nothing', async () => {
    const id = String((await core.call('backup.list', { type: 'full' })).backups[0]!.id);
    writeFileSync(conf, 'changed before a refused recovery\n');
    await sim.setSafety({ ...SAFE_SIGNALS, crane_motion: { status: 'moving' } });
    const jobs = (await core.call('jobs.list', {})).jobs.length;
    await expect(
      core.call('recovery.initiate', { backup_id: id, confirmation: true }),
    ).rejects.toMatchObject({ code: 'OTA_002' });
    expect((await core.call('jobs.list', {})).jobs).toHaveLength(jobs);
    await sim.setSafety(SAFE_SIGNALS);

    // One flipped bit in every stored object: the read-back refuses before any write.
    for (const f of filesUnder(join(work, 'data', 'backups', 'objects'))) {
      const b = readFileSync(f);
      if (b.length < 200) continue;
      b[150]! ^= 1;
      writeFileSync(f, b);
    }
    const r = await core.call('recovery.initiate', {
      backup_id: id,
      confirmation: true,
      create_pre_recovery_snapshot: false,
    });
    const j = await settle(core, r.recovery_id);
    expect(j.status).toBe('failed');
    expect(j.error).toMatch(/damaged: nothing was written/);
    expect(readFileSync(conf, 'utf8')).toBe('changed before a refused recovery\n');
    const d = await core.call('backup.details', { backup_id: id });
    expect(d.integrity.verified).toBe(false);
    expect((await core.call('restore.progress', { restore_id: r.recovery_id })).status).toBe(
      'failed',
    );
  });

  it('refuses an encrypted backup clearly when no key can be unlocked', async () => {
    const sim2 = await startGatewaySim({ slotSize: 8 * 1024 * 1024 });
    const { core: c2 } = await otaCore(sim2);
    delete process.env.RIGGER_BACKUP_PASSPHRASE;
    try {
      await expect(c2.call('backup.create', { name: 'x', gateway: 'gw' })).rejects.toMatchObject({
        code: 'SECRET_UNAVAILABLE',
        message: expect.stringContaining('RIGGER_BACKUP_PASSPHRASE'),
      });
      const st = await c2.call('backup.status', {});
      expect(st.alerts[0]!.message).toMatch(/RIGGER_BACKUP_PASSPHRASE/);
      expect((await c2.call('jobs.list', {})).jobs).toHaveLength(0);
      // A store made with one passphrase, opened with another: said so, nothing made.
      await c2.close();
      process.env.RIGGER_BACKUP_PASSPHRASE = 'the first passphrase';
      const data = mkdtempSync(join(tmpdir(), 'rigger-bk-wrong-'));
      const first = await otaCore(sim2, join(data, 'data'));
      expect((await first.core.call('backup.status', {})).components.encryption.status).toBe(
        'enabled',
      );
      await first.core.close();
      process.env.RIGGER_BACKUP_PASSPHRASE = 'not the first passphrase';
      const second = { core: createCore({ dataDir: join(data, 'data'), mode: 'test' }) };
      try {
        const wrong = await second.core.call('backup.status', {});
        expect(wrong.alerts[0]!.message).toMatch(/passphrase is wrong/);
        await expect(
          second.core.call('backup.create', { name: 'y', gateway: 'gw' }),
        ).rejects.toMatchObject({ code: 'ENCRYPTION_ERROR' });
      } finally {
        await second.core.close();
      }
    } finally {
      process.env.RIGGER_BACKUP_PASSPHRASE = PASS;
      await c2.close();
      await sim2.stop();
    }
  });
});
