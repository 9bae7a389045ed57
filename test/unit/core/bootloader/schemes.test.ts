import { describe, expect, it } from 'vitest';
import { envScript, parseEnv } from '../../../../src/main/core/bootloader/env';
import { schemeFor } from '../../../../src/main/core/bootloader/scheme';
import { univaProfile } from '../../../helpers/profile';

describe('environment parsing', () => {
  it('parses fw_printenv output, keeping = inside values and skipping noise', () => {
    const env = parseEnv(
      'boot_slot=A\nbootcmd=run a; setenv x=1\n\nEnvironment size: 123/16380 bytes\nbootcount=2\r\n',
    );
    expect(env).toEqual({ boot_slot: 'A', bootcmd: 'run a; setenv x=1', bootcount: '2' });
  });

  it("writes libubootenv's name=value script", () => {
    expect(envScript({ boot_slot: 'B', upgrade_available: '1' })).toBe(
      'boot_slot=B\nupgrade_available=1\n',
    );
  });
});

describe('bootcount scheme', () => {
  const p = univaProfile('bootcount');
  const s = schemeFor(p);
  const base = {
    boot_slot: 'A',
    upgrade_available: '0',
    bootcount: '0',
    bootlimit: '3',
    altbootcmd: 'run alt',
  };

  it('reads a committed slot A', () => {
    const st = s.read(base, p, 'A');
    expect(st).toMatchObject({
      next_slot: 'A',
      upgrade_pending: false,
      consistent: true,
      boot_count: 0,
      rollback_retries: 3,
      auto_rollback: true,
    });
    expect(st.slots.B.bootable).toBe(false);
    expect(st.warnings).toEqual([]);
  });

  it('reads a pending trial of B with its attempts, and the exhausted trial falling back', () => {
    const pending = s.read({ ...base, boot_slot: 'B', upgrade_available: '1' }, p, 'A');
    expect(pending).toMatchObject({ next_slot: 'B', upgrade_pending: true, consistent: true });
    expect(pending.slots.B.attempts_left).toBe(3);
    expect(pending.slots.A.bootable).toBe(true);
    const exhausted = s.read(
      { ...base, boot_slot: 'B', upgrade_available: '1', bootcount: '3' },
      p,
      'B',
    );
    expect(exhausted.next_slot).toBe('A');
    expect(exhausted.slots.B.attempts_left).toBe(0);
  });

  it('warns when the environment selects the other slot with no trial', () => {
    const st = s.read({ ...base, boot_slot: 'B' }, p, 'A');
    expect(st.consistent).toBe(false);
    expect(st.warnings[0]).toMatch(/selects slot B but slot A is booted/);
  });

  it('honours renamed variables from the profile', () => {
    const renamed = {
      ...p,
      bootloader: {
        ...p.bootloader,
        vars: { slot: 'rootslot', upgrade: 'trial', count: 'tries', limit: 'maxtries' },
      },
    };
    const st = schemeFor(renamed).read(
      { rootslot: 'B', trial: '1', tries: '1', maxtries: '3', altbootcmd: 'x' },
      renamed,
      'B',
    );
    expect(st).toMatchObject({ next_slot: 'B', upgrade_pending: true, boot_count: 1 });
    expect(schemeFor(renamed).tryBoot('A', renamed)).toEqual({
      rootslot: 'A',
      trial: '1',
      tries: '0',
    });
  });

  it('sets try-boot, commit and disable variables per the contract table', () => {
    expect(s.tryBoot('B', p)).toEqual({ boot_slot: 'B', upgrade_available: '1', bootcount: '0' });
    expect(s.commit('B', p)).toEqual({ upgrade_available: '0', bootcount: '0' });
    expect(s.disable('B', 'A', p)).toEqual({
      boot_slot: 'A',
      upgrade_available: '0',
      bootcount: '0',
    });
  });
});

describe('rauc scheme', () => {
  const p = univaProfile('rauc');
  const s = schemeFor(p);

  it('reads the order and the attempts left', () => {
    const st = s.read({ BOOT_ORDER: 'A B', BOOT_A_LEFT: '3', BOOT_B_LEFT: '3' }, p, 'A');
    expect(st).toMatchObject({
      next_slot: 'A',
      upgrade_pending: false,
      consistent: true,
      auto_rollback: true,
      boot_count: 0,
    });
    expect(st.slots.B).toEqual({ bootable: true, attempts_left: 3 });
  });

  it('skips a slot with no attempts left, and sees a trial', () => {
    const st = s.read({ BOOT_ORDER: 'B A', BOOT_A_LEFT: '3', BOOT_B_LEFT: '0' }, p, 'A');
    expect(st.next_slot).toBe('A');
    expect(st.slots.B.bootable).toBe(false);
    const trial = s.read({ BOOT_ORDER: 'B A', BOOT_A_LEFT: '3', BOOT_B_LEFT: '2' }, p, 'B');
    expect(trial).toMatchObject({ next_slot: 'B', upgrade_pending: true, boot_count: 1 });
  });

  it('warns when the booted slot is not in BOOT_ORDER, or there is no order', () => {
    expect(s.read({ BOOT_ORDER: 'A', BOOT_A_LEFT: '3', BOOT_B_LEFT: '3' }, p, 'B').consistent).toBe(
      false,
    );
    expect(s.read({}, p, 'A').warnings[0]).toMatch(/BOOT_ORDER is unset/);
  });

  it('sets try-boot, commit and disable variables per the contract table', () => {
    expect(s.tryBoot('B', p)).toEqual({ BOOT_ORDER: 'B A', BOOT_B_LEFT: '3' });
    expect(s.commit('B', p)).toEqual({ BOOT_B_LEFT: '3' });
    expect(s.disable('B', 'A', p)).toEqual({ BOOT_ORDER: 'A B', BOOT_B_LEFT: '0' });
  });
});

describe('mender scheme', () => {
  const p = univaProfile('mender');
  const s = schemeFor(p);
  const base = {
    mender_boot_part: '2',
    mender_boot_part_hex: '2',
    upgrade_available: '0',
    bootcount: '0',
    bootlimit: '3',
    altbootcmd: 'x',
  };

  it('maps the partition number to the slot', () => {
    expect(s.read(base, p, 'A')).toMatchObject({ next_slot: 'A', consistent: true });
    expect(
      s.read(
        { ...base, mender_boot_part: '3', mender_boot_part_hex: '3', upgrade_available: '1' },
        p,
        'A',
      ),
    ).toMatchObject({
      next_slot: 'B',
      upgrade_pending: true,
    });
  });

  it('warns when the hex copy disagrees or the partition is unknown', () => {
    expect(s.read({ ...base, mender_boot_part_hex: '3' }, p, 'A').consistent).toBe(false);
    expect(s.read({ ...base, mender_boot_part: '7' }, p, 'A').warnings[0]).toMatch(
      /does not say which slot/,
    );
  });

  it('sets try-boot, commit and disable variables per the contract table', () => {
    expect(s.tryBoot('B', p)).toEqual({
      mender_boot_part: '3',
      mender_boot_part_hex: '3',
      upgrade_available: '1',
      bootcount: '0',
    });
    expect(s.commit('B', p)).toEqual({ upgrade_available: '0' });
    expect(s.disable('B', 'A', p)).toMatchObject({ mender_boot_part: '2', upgrade_available: '0' });
  });
});
