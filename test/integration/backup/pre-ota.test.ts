import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core/core';
import { startGatewaySim, type GatewaySim } from '../../gateway-sim';
import { otaCore, simBundle, until } from '../ota/setup';
import { treeHashes } from '../recovery/setup';

const PASS = 'pre-ota passphrase for the test';

describe("an install's create_snapshot takes a pre-ota backup", () => {
  let sim: GatewaySim;
  let core: Core;
  let work: string;
  let vendor: { key: string };

  beforeAll(async () => {
    process.env.RIGGER_BACKUP_PASSPHRASE = PASS;
    sim = await startGatewaySim({ scheme: 'bootcount', booted: 'A' });
    ({ core, work, vendor } = await otaCore(sim));
  });
  afterAll(async () => {
    await core?.close();
    await sim?.stop();
    delete process.env.RIGGER_BACKUP_PASSPHRASE;
  });

  /** Download an image into slot B and wait until it is written and verified. */
  async function downloaded(version: string) {
    const img = await core.call('images.import', { path: simBundle(work, vendor, version).path });
    const { job_id } = await core.call('updates.download', { gateway: 'gw', update_id: img.id });
    const j = await until(core, job_id, ['downloaded', 'failed']);
    expect(j.status, j.error ?? '').toBe('downloaded');
    return job_id;
  }

  it('refuses to switch when the backup fails, and says why', async () => {
    const job_id = await downloaded('v5.0.5');
    // A name the gateway's sha256sum cannot list unambiguously: the backup cannot be proven.
    const odd = join(sim.root, 'data', 'config', 'odd\nname');
    writeFileSync(odd, 'x');
    try {
      await core.call('updates.install', { job_id, reboot_delay: 0, create_snapshot: true });
      const done = await until(core, job_id, ['success', 'failed']);
      expect(done.status).toBe('failed');
      expect(done.error).toMatch(/backup before the update failed.*newline/s);
      const row = core.jobs.store.find(job_id)!;
      expect(row.error?.code).toBe('BACKUP_FAILED');
      expect(core.jobs.store.steps(job_id).map((s) => s.name)).not.toContain('try_boot');
      const status = await core.call('gateways.status', { name: 'gw' });
      expect(status.boot?.booted_slot).toBe('A');
      const list = await core.call('backup.list', {});
      expect(list.total).toBe(0);
    } finally {
      rmSync(odd);
    }
  });

  it('backs up, verifies, then switches; the job names the backup', async () => {
    const before = treeHashes(sim.root, ['data', 'etc']);
    mkdirSync(join(sim.root, 'data', 'config'), { recursive: true });
    const job_id = await downloaded('v5.0.6');
    await core.call('updates.install', { job_id, reboot_delay: 0, create_snapshot: true });
    const done = await until(core, job_id, ['success', 'failed']);
    expect(done.status, done.error ?? '').toBe('success');
    const row = core.jobs.store.find(job_id)!;
    const backupId = String(row.result?.backup_id);
    expect(backupId).toMatch(/^pre-ota_/);
    const steps = core.jobs.store.steps(job_id).map((s) => s.name);
    expect(steps.indexOf('verify_integrity')).toBeGreaterThan(-1);
    expect(steps.indexOf('verify_integrity')).toBeLessThan(steps.indexOf('try_boot'));

    const d = await core.call('backup.details', { backup_id: backupId });
    expect(d).toMatchObject({
      type: 'Pre-OTA',
      encryption: { enabled: true },
      integrity: { verified: true, signature_valid: true },
      metadata: { version: 'v5.0.4' },
    });
    const v = await core.call('backup.verify', { backup_id: backupId });
    expect(v.verified).toBe(true);
    // What the gateway held before the switch is what the backup holds, file for file.
    const files = Object.keys(before).filter((f) => !f.startsWith('data/rigger/'));
    expect(v.files_checked).toBeGreaterThanOrEqual(files.length);
  });
});
