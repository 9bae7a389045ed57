import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAFE_SIGNALS, type SchemeName } from '../../gateway-sim';
import { settle, useSimCores } from './setup';

const setup = useSimCores();

describe.each<SchemeName>(['bootcount', 'rauc', 'mender'])('rollback, %s scheme', (scheme) => {
  it('switches to the other slot, reboots into it, verifies and commits', async () => {
    const { core } = await setup({ scheme, versions: { A: 'v5.0.5', B: 'v5.0.4' } });
    const st = await core.call('recovery.status', { gateway: 'gw' });
    expect(st.rollback).toMatchObject({ available: true, to_slot: 'B', to_version: 'v5.0.4' });
    const r = await core.call('recovery.rollback', {
      gateway: 'gw',
      reason: 'High memory use on v5.0.5',
      reboot_delay: 0,
    });
    expect(r).toMatchObject({
      status: 'rolling_back',
      action: 'switch_to_partition_b',
      from_version: 'v5.0.5',
      to_version: 'v5.0.4',
    });
    const j = await settle(core, r.rollback_id);
    expect(j.status, j.error ?? '').toBe('success');
    const s = await core.gateways.status('gw', 'pinned-only');
    expect(s.boot?.booted_slot).toBe('B');
    expect(s.partitions.active.version).toBe('v5.0.4');
    expect(s.boot?.upgrade_pending).toBe(false);
  });
});

describe('rollback refused', () => {
  it('OTA_012 when the other slot holds no known image, saying why', async () => {
    const { sim, core } = await setup({ versions: { A: 'v5.0.5', B: null } });
    const before = await sim.env();
    await expect(
      core.call('recovery.rollback', { gateway: 'gw', reason: 'try it' }),
    ).rejects.toMatchObject({ code: 'OTA_012', details: { reason: 'no_known_image', slot: 'B' } });
    await expect(
      core.call('recovery.rollback', { gateway: 'gw', action: 'rollback_to_a', reason: 'try it' }),
    ).rejects.toMatchObject({ code: 'OTA_012', details: { reason: 'already_booted' } });
    expect(await sim.env()).toEqual(before);
    expect((await core.call('jobs.list', {})).jobs).toHaveLength(0);
  });
});

describe('factory reset', () => {
  const req = {
    gateway: 'gw',
    confirm: true,
    reset_type: 'complete' as const,
    backup_config: true,
    reason: 'Returning the gateway to factory settings',
  };

  it('refuses a wrong PIN (audited), then runs with the right one after an emergency backup', async () => {
    const { sim, core } = await setup();
    await core.call('safety.setPin', { pin: '7392' });
    await expect(core.call('recovery.factory', { ...req, pin: '0000' })).rejects.toMatchObject({
      code: 'OTA_010',
    });
    expect(existsSync(join(sim.root, 'data', 'config', 'crane.conf'))).toBe(true);
    const logs = await core.call('monitor.logs', { gateway: 'gw', limit: 1000 });
    expect(logs.logs.some((l) => /safety.pin_attempt refused/.test(l.message))).toBe(true);

    const r = await core.call('recovery.factory', { ...req, pin: '7392' });
    expect(r).toMatchObject({ status: 'factory_reset_started', backup_created: true });
    expect(existsSync(r.backup_location!)).toBe(true);
    const j = await settle(core, r.reset_id);
    expect(j.status, j.error ?? '').toBe('success');
    expect(readdirSync(join(sim.root, 'data', 'config'))).toEqual([]);
    const snaps = (await core.call('snapshots.list', { gateway: 'gw' })).snapshots;
    expect(snaps[0]).toMatchObject({ name: 'emergency-before-factory-reset', type: 'automatic' });
  });

  it('locks out after five wrong PINs: the right one is refused too, nothing is reset', async () => {
    const { sim, core } = await setup();
    await core.call('safety.setPin', { pin: '7392' });
    for (let i = 1; i <= 5; i++) {
      await expect(core.call('recovery.factory', { ...req, pin: '1111' })).rejects.toMatchObject({
        code: 'OTA_010',
        details: i < 5 ? { attempts_left: 5 - i } : { locked_until: expect.any(String) },
      });
    }
    await expect(core.call('recovery.factory', { ...req, pin: '7392' })).rejects.toMatchObject({
      code: 'OTA_010',
      details: { retry_after_seconds: expect.any(Number) },
    });
    expect(existsSync(join(sim.root, 'data', 'config', 'crane.conf'))).toBe(true);
    expect((await core.call('jobs.list', {})).jobs).toHaveLength(0);
    expect((await core.call('snapshots.list', {})).snapshots).toHaveLength(0);
    const logs = await core.call('monitor.logs', { gateway: 'gw', limit: 1000 });
    expect(logs.logs.filter((l) => /safety.pin_attempt refused/.test(l.message))).toHaveLength(6);
  });

  it('OTA_011 when turned off in Settings, or while the crane moves; nothing is reset', async () => {
    const { sim, core } = await setup();
    await core.call('safety.setPin', { pin: '7392' });
    await core.call('settings.update', { recovery: { factory_reset_enabled: false } });
    await expect(core.call('recovery.factory', { ...req, pin: '7392' })).rejects.toMatchObject({
      code: 'OTA_011',
    });
    await core.call('settings.update', { recovery: { factory_reset_enabled: true }, pin: '7392' });
    await sim.setSafety({ ...SAFE_SIGNALS, crane_motion: { status: 'moving' } });
    await expect(core.call('recovery.factory', { ...req, pin: '7392' })).rejects.toMatchObject({
      code: 'OTA_011',
      details: { blocking: ['crane_motion'] },
    });
    await expect(
      core.call('recovery.factory', { ...req, pin: '7392', confirm: false }),
    ).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    expect(existsSync(join(sim.root, 'data', 'config', 'crane.conf'))).toBe(true);
    expect((await core.call('jobs.list', {})).jobs).toHaveLength(0);
  });
});
