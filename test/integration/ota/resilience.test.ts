import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core/core';
import { startGatewaySim, SAFE_SIGNALS, type GatewaySim } from '../../gateway-sim';
import { startProxy } from './proxy';
import { otaCore, simBundle, throughProxy, until } from './setup';

let sim: GatewaySim;
const cores: Core[] = [];
beforeAll(async () => {
  sim = await startGatewaySim({ scheme: 'bootcount', booted: 'A' });
});
afterAll(async () => sim?.stop());
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.close()));
  await sim.setSafety(SAFE_SIGNALS);
});

const MiB = 1024 * 1024;

describe('a bad link and a changing world', () => {
  it('resumes after the link is cut at several offsets and ends verified', async () => {
    // Slow enough that sshd's 2 MiB channel window drains into dd while data flows.
    const proxy = await startProxy({ host: sim.host, port: sim.port }, { bytesPerSecond: 24e6 });
    const { core, work, vendor } = await otaCore(sim);
    cores.push(core);
    await throughProxy(core, sim, proxy.port);
    const img = await core.call('images.import', {
      path: simBundle(work, vendor, 'v5.1.0', { size: 8 * MiB }).path,
    });
    proxy.cut(3.5 * MiB, 2.5 * MiB, 1.6 * MiB);
    const job = await core.call('updates.download', { gateway: 'gw', update_id: img.id });
    const done = await until(core, job.job_id, ['downloaded', 'failed']);
    expect(done.error).toBeNull();
    expect(proxy.cutsDone).toBe(3);
    const p = await core.call('updates.progress', { job_id: job.job_id });
    expect(p.status_details.retries).toBeGreaterThanOrEqual(3);
    const row = core.jobs.store.find(job.job_id)!;
    const resumed = row.result?.resumed_from as number[];
    expect(
      resumed.some((o) => o > 0),
      `resumed from ${resumed.join(',')}`,
    ).toBe(true);
    const steps = core.jobs.store.steps(job.job_id).map((s) => `${s.name}:${s.status}`);
    expect(steps).toContain('verify_readback:done');
    await core.call('jobs.cancel', { job_id: job.job_id, cleanup: false });
    await proxy.stop();
  });

  it('cancel leaves the booted slot untouched and the target unbootable', async () => {
    const { core, work, vendor } = await otaCore(sim);
    cores.push(core);
    const before = await core.gateways.status('gw', 'pinned-only');
    const img = await core.call('images.import', {
      path: simBundle(work, vendor, 'v5.1.1', { size: 8 * MiB }).path,
    });
    const job = await core.call('updates.download', { gateway: 'gw', update_id: img.id });
    await until(core, job.job_id, ['downloading', 'downloaded']);
    const c = await core.call('jobs.cancel', { job_id: job.job_id, cleanup: true });
    expect(c).toMatchObject({ status: 'cancelled', cleanup_performed: true, can_restart: true });
    const s = await core.gateways.status('gw', 'pinned-only');
    expect(s.boot?.booted_slot).toBe(before.boot?.booted_slot);
    expect(s.boot?.next_slot).toBe(before.boot?.booted_slot);
    expect(s.boot?.upgrade_pending).toBe(false);
    expect(s.partitions.active.version).toBe(before.partitions.active.version);
    expect((await core.call('jobs.get', { job_id: job.job_id })).status).toBe('cancelled');
  });

  it('a crane that starts moving pauses the job before the switch; it never switches', async () => {
    const { core, work, vendor } = await otaCore(sim);
    cores.push(core);
    const before = await core.gateways.status('gw', 'pinned-only');
    const img = await core.call('images.import', { path: simBundle(work, vendor, 'v5.1.2').path });
    const job = await core.call('updates.download', { gateway: 'gw', update_id: img.id });
    await until(core, job.job_id, ['downloaded']);
    await sim.setSafety({ ...SAFE_SIGNALS, crane_motion: { status: 'moving' } });
    const alerts: string[] = [];
    core.events.on('safety_alert', (e) => alerts.push(e.constraint));
    await core.call('updates.install', { job_id: job.job_id, reboot_delay: 0 });
    await until(core, job.job_id, ['paused_safety']);
    expect(alerts).toContain('crane_motion');
    const s = await core.gateways.status('gw', 'pinned-only');
    expect(s.boot?.next_slot).toBe(before.boot?.booted_slot);
    expect(s.boot?.upgrade_pending).toBe(false);
    const c = await core.call('jobs.cancel', { job_id: job.job_id });
    expect(c.status).toBe('cancelled');
    const st = await core.call('safety.status', { gateway: 'gw' });
    expect(st.update_allowed).toBe(false);
    expect(st.constraints.crane_motion).toMatchObject({ status: 'moving', blocking: true });
  });

  it('a refused start says OTA_002; a good PIN overrides; five wrong PINs lock out', async () => {
    const { core, work, vendor } = await otaCore(sim);
    cores.push(core);
    await sim.setSafety({ ...SAFE_SIGNALS, ups_battery: { level: 10 } });
    const img = await core.call('images.import', { path: simBundle(work, vendor, 'v5.1.3').path });
    const job = await core.call('updates.download', { gateway: 'gw', update_id: img.id });
    const failed = await until(core, job.job_id, ['failed']);
    expect(failed.error).toMatch(/ups_battery/);
    const err = core.jobs.store.find(job.job_id)!.error!;
    expect(err.code).toBe('OTA_002');
    expect(err.suggested_actions.length).toBeGreaterThan(0);

    await core.call('safety.setPin', { pin: '7392' });
    const o = {
      gateway: 'gw',
      reason: 'Emergency security update',
      constraints: ['ups_battery' as const],
      duration: 600,
      acknowledge_risks: true,
    };
    const ok = await core.call('safety.override', { ...o, pin: '7392' });
    expect(ok).toMatchObject({
      status: 'override_enabled',
      constraints_overridden: ['ups_battery'],
    });
    const lifted = await core.call('safety.status', { gateway: 'gw' });
    expect(lifted).toMatchObject({
      update_allowed: true,
      force_override: true,
      overridden: ['ups_battery'],
    });
    for (let i = 0; i < 5; i++) {
      await expect(core.call('safety.override', { ...o, pin: '0000' })).rejects.toMatchObject({
        code: 'OTA_010',
      });
    }
    // Locked now: even the right PIN is refused until the lockout ends.
    await expect(core.call('safety.override', { ...o, pin: '7392' })).rejects.toMatchObject({
      code: 'OTA_010',
      details: expect.objectContaining({ locked_until: expect.any(String) }),
    });
  });

  it('an override that expires mid-job: the job pauses before the switch and never switches', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rigger-expiry-'));
    const { core, work, vendor } = await otaCore(sim, dataDir);
    cores.push(core);
    await sim.setSafety({ ...SAFE_SIGNALS, ups_battery: { level: 10 } });
    await core.call('safety.setPin', { pin: '7392' });
    await core.call('safety.override', {
      gateway: 'gw',
      pin: '7392',
      reason: 'Write now, the crew waits',
      constraints: ['ups_battery'],
      duration: 600,
      acknowledge_risks: true,
    });
    const img = await core.call('images.import', { path: simBundle(work, vendor, 'v5.1.4').path });
    const job = await core.call('updates.download', { gateway: 'gw', update_id: img.id });
    expect((await until(core, job.job_id, ['downloaded', 'failed'])).status).toBe('downloaded');
    // Ten minutes pass: the override's end comes while the image waits to be installed.
    const db = new Database(join(dataDir, 'rigger.db'));
    db.prepare('UPDATE safety_overrides SET expires_at = ?').run(
      new Date(Date.now() - 1000).toISOString(),
    );
    db.close();
    const before = await core.gateways.status('gw', 'pinned-only');
    await core.call('updates.install', { job_id: job.job_id, reboot_delay: 0 });
    const paused = await until(core, job.job_id, ['paused_safety', 'success', 'failed']);
    expect(paused.status).toBe('paused_safety');
    const s = await core.gateways.status('gw', 'pinned-only');
    expect(s.boot?.next_slot).toBe(before.boot?.booted_slot);
    expect(s.boot?.upgrade_pending).toBe(false);
    const st = await core.call('safety.status', { gateway: 'gw' });
    expect(st.force_override).toBe(false);
    await core.call('jobs.cancel', { job_id: job.job_id });
  });
});
