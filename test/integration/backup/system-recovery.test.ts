import { createHash } from 'node:crypto';
import { openSync, readFileSync, readSync, closeSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core/core';
import { profileSchema, type Profile } from '../../../src/shared/profile';
import { startGatewaySim, type GatewaySim } from '../../gateway-sim';
import { otaCore } from '../ota/setup';
import { settle } from '../recovery/setup';

type Rec = { sha256: string; size: number; image_id?: string };

/** SHA-256 of the first `size` bytes of a file. */
function headSha(file: string, size: number): string {
  const buf = Buffer.alloc(size);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buf, 0, size, 0);
  } finally {
    closeSync(fd);
  }
  return createHash('sha256').update(buf).digest('hex');
}

describe('recovering the system slot from a backup (bootcount scheme)', () => {
  let sim: GatewaySim;
  let core: Core;
  let profile: Profile;
  const records = () =>
    JSON.parse(readFileSync(profile.status_file, 'utf8')) as Record<string, Rec>;

  beforeAll(async () => {
    process.env.RIGGER_BACKUP_PASSPHRASE = 'system recovery passphrase';
    sim = await startGatewaySim({
      scheme: 'bootcount',
      booted: 'A',
      versions: { A: 'v5.0.5', B: 'v5.0.4' },
      slotSize: 8 * 1024 * 1024,
    });
    ({ core } = await otaCore(sim));
    profile = profileSchema.parse(sim.profile);
  });
  afterAll(async () => {
    await core?.close();
    await sim?.stop();
    delete process.env.RIGGER_BACKUP_PASSPHRASE;
  });

  it('writes the backed-up image into the slot not booted, proven, and boots it like an update', async () => {
    const a = records().A!;
    const b = await core.call('backup.create', { name: 'system_a', components: ['system'] });
    const j = await settle(core, b.job_id);
    expect(j.status, j.error ?? '').toBe('success');

    const rb = await core.call('recovery.rollback', {
      gateway: 'gw',
      reason: 'test',
      reboot_delay: 0,
    });
    expect((await settle(core, rb.rollback_id)).status).toBe('success');
    expect((await core.gateways.status('gw', 'pinned-only')).boot?.booted_slot).toBe('B');
    // Slot A damaged since the backup.
    const fd = openSync(profile.slots.A.device, 'r+');
    writeFileSync(fd, Buffer.alloc(65_536));
    closeSync(fd);
    expect(headSha(profile.slots.A.device, a.size)).not.toBe(a.sha256);

    const p = await core.call('recovery.preview', {
      backup_id: b.backup_id,
      recovery_type: 'system',
    });
    expect(p.impact_analysis.components_affected).toEqual(['system']);
    expect(p.impact_analysis.restart_required).toBe(true);
    expect(p.warnings.join('\n')).toMatch(/written into slot A and the gateway will restart on it/);

    const r = await core.call('recovery.initiate', {
      backup_id: b.backup_id,
      recovery_type: 'system',
      create_pre_recovery_snapshot: false,
      confirmation: true,
    });
    const done = await settle(core, r.recovery_id);
    expect(done.status, done.error ?? '').toBe('success');
    expect(headSha(profile.slots.A.device, a.size)).toBe(a.sha256);
    expect(records().A).toMatchObject({ sha256: a.sha256, image_id: `backup:${b.backup_id}` });
    const after = await core.gateways.status('gw', 'pinned-only');
    expect(after.boot?.booted_slot).toBe('A');
    expect(after.boot?.upgrade_pending).toBe(false);
    expect(
      (await core.call('restore.progress', { restore_id: r.recovery_id })).restart_required,
    ).toBe(true);
  });
});
