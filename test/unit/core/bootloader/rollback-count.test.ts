import { describe, expect, it } from 'vitest';
import { schemeFor } from '../../../../src/main/core/bootloader/scheme';
import { assembleStatus } from '../../../../src/main/core/gateways/status';
import { profileSchema, type Profile } from '../../../../src/shared/profile';
import { univaProfile } from '../../../helpers/profile';

// rollback_count = boot tries the bootloader has spent toward an automatic rollback, out of
// rollback_retries (the seed's example: 2 of 3). No scheme keeps a count of past rollbacks.

describe('rollback_count, bootcount scheme', () => {
  const p = univaProfile('bootcount');
  const read = (env: Record<string, string>, booted: 'A' | 'B' = 'A') =>
    schemeFor(p).read({ bootlimit: '3', altbootcmd: 'run alt', ...env }, p, booted);

  it('is 0 with no trial and no overrun', () => {
    expect(read({ boot_slot: 'A', upgrade_available: '0', bootcount: '0' }).rollback_count).toBe(0);
  });
  it('is the bootcount of the trial while upgrade_available=1', () => {
    const st = read({ boot_slot: 'B', upgrade_available: '1', bootcount: '2' }, 'B');
    expect(st.rollback_count).toBe(2);
    expect(st.rollback_retries).toBe(3);
  });
  it('is every try once altbootcmd fell back (count past the limit, trial cleared)', () => {
    expect(read({ boot_slot: 'A', upgrade_available: '0', bootcount: '4' }).rollback_count).toBe(3);
  });
  it('is null when the environment does not say', () => {
    expect(read({ boot_slot: 'A', bootcount: '1' }).rollback_count).toBeNull();
    expect(read({ boot_slot: 'A', upgrade_available: '1' }).rollback_count).toBeNull();
    expect(
      schemeFor(p).read({ boot_slot: 'A', upgrade_available: '0', bootcount: '5' }, p, 'A')
        .rollback_count,
    ).toBeNull();
  });
  it('follows renamed variables (profile bootloader.vars)', () => {
    const renamed: Profile = profileSchema.parse({
      ...p,
      bootloader: {
        ...p.bootloader,
        vars: { slot: 'sys_slot', upgrade: 'trial', count: 'tries', limit: 'max_tries' },
      },
    });
    const st = schemeFor(renamed).read(
      { sys_slot: 'B', trial: '1', tries: '1', max_tries: '3', altbootcmd: 'x' },
      renamed,
      'B',
    );
    expect(st.rollback_count).toBe(1);
  });
});

describe('rollback_count, mender scheme', () => {
  const p = univaProfile('mender');
  const read = (env: Record<string, string>, booted: 'A' | 'B') =>
    schemeFor(p).read({ bootlimit: '3', altbootcmd: 'run alt', ...env }, p, booted);

  it('is the bootcount of a trial, and 0 after a commit that left bootcount set', () => {
    const base = { mender_boot_part: '3', mender_boot_part_hex: '3' };
    expect(read({ ...base, upgrade_available: '1', bootcount: '1' }, 'B').rollback_count).toBe(1);
    expect(read({ ...base, upgrade_available: '0', bootcount: '1' }, 'B').rollback_count).toBe(0);
  });
  it('is every try after the fallback', () => {
    const env = { mender_boot_part: '2', mender_boot_part_hex: '2', upgrade_available: '0' };
    expect(read({ ...env, bootcount: '4' }, 'A').rollback_count).toBe(3);
  });
});

describe('rollback_count, rauc scheme', () => {
  const p = univaProfile('rauc');
  const read = (env: Record<string, string>, booted: 'A' | 'B') =>
    schemeFor(p).read(env, p, booted);

  it('is attempts minus BOOT_x_LEFT of the first slot in BOOT_ORDER', () => {
    expect(
      read({ BOOT_ORDER: 'A B', BOOT_A_LEFT: '3', BOOT_B_LEFT: '3' }, 'A').rollback_count,
    ).toBe(0);
    expect(
      read({ BOOT_ORDER: 'B A', BOOT_A_LEFT: '3', BOOT_B_LEFT: '1' }, 'B').rollback_count,
    ).toBe(2);
  });
  it('is every try when the trial slot has none left and the next one booted', () => {
    const st = read({ BOOT_ORDER: 'B A', BOOT_A_LEFT: '2', BOOT_B_LEFT: '0' }, 'A');
    expect(st.rollback_count).toBe(3);
    expect(st.rollback_retries).toBe(3);
  });
  it('is null without BOOT_ORDER or the slot counter', () => {
    expect(read({ BOOT_A_LEFT: '3' }, 'A').rollback_count).toBeNull();
    expect(read({ BOOT_ORDER: 'A B', BOOT_B_LEFT: '3' }, 'A').rollback_count).toBeNull();
  });
});

describe('rollback_count in the status answer', () => {
  it('comes from the scheme, not a constant null', () => {
    const p = univaProfile('bootcount');
    const s = assembleStatus(
      {
        cmdline: { rc: 0, out: p.slots.B.cmdline_match },
        env: {
          rc: 0,
          out: 'boot_slot=B\nupgrade_available=1\nbootcount=2\nbootlimit=3\naltbootcmd=x',
        },
      },
      p,
      { type: 'ssh', target: 't' },
    );
    expect(s.partitions).toMatchObject({ rollback_retries: 3, rollback_count: 2 });
    expect(assembleStatus({}, p, { type: 'ssh', target: 't' }).partitions.rollback_count).toBe(
      null,
    );
  });
});
