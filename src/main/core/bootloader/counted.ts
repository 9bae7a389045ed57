import type { Profile, SlotId } from '../../../shared/profile';
import { envInt } from './env';
import type { SchemeState } from './scheme';
import { otherSlot } from './slots';

/** Variable names of the counted schemes (bootcount, mender), after the profile's renames. */
export interface CountedVars {
  upgrade: string;
  count: string;
  limit: string;
}

/** Names of the upgrade / count / limit variables for a profile. */
export function countedVars(profile: Profile): CountedVars {
  const v = profile.bootloader.vars ?? {};
  return {
    upgrade: v.upgrade ?? 'upgrade_available',
    count: v.count ?? 'bootcount',
    limit: v.limit ?? 'bootlimit',
  };
}

/**
 * The shared reading of the schemes where U-Boot counts boots of a trial slot and runs
 * `altbootcmd` past the limit (bootcount and mender differ only in how the slot is named).
 */
export function readCounted(
  env: Record<string, string>,
  profile: Profile,
  booted: SlotId | null,
  selected: SlotId | null,
  selectorDescription: string,
): SchemeState {
  const names = countedVars(profile);
  const warnings: string[] = [];
  const upgradeRaw = env[names.upgrade];
  const upgrade = upgradeRaw === undefined ? null : upgradeRaw === '1';
  const count = envInt(env[names.count]);
  const limit = envInt(env[names.limit]);
  const hasAltboot = env.altbootcmd !== undefined && env.altbootcmd.trim() !== '';
  let consistent = true;

  if (selected === null) {
    warnings.push(
      `The bootloader environment does not say which slot to boot (${selectorDescription}).`,
    );
    consistent = false;
  }
  if (booted && selected && selected !== booted && upgrade !== true) {
    warnings.push(
      `The environment selects slot ${selected} but slot ${booted} is booted, and no update is on trial: ` +
        `the environment was changed since boot or the bootloader fell back. Rigger will not write until this is resolved.`,
    );
    consistent = false;
  }
  if (upgrade === true && !hasAltboot) {
    warnings.push(
      'An update is on trial but the environment has no altbootcmd: a failing boot will not fall back.',
    );
  }

  // Past the limit on the next boot, U-Boot runs altbootcmd: the other slot boots.
  const exhausted = upgrade === true && count !== null && limit !== null && count + 1 > limit;
  const next = selected === null ? null : exhausted ? otherSlot(selected) : selected;
  const slots: SchemeState['slots'] = {
    A: { bootable: null, attempts_left: null },
    B: { bootable: null, attempts_left: null },
  };
  if (selected) {
    slots[selected] = {
      bootable: true,
      attempts_left:
        upgrade === true && count !== null && limit !== null ? Math.max(0, limit - count) : null,
    };
    // The other slot is only a fallback while a trial runs (altbootcmd); otherwise nothing boots it.
    slots[otherSlot(selected)] = {
      bootable: upgrade === null ? null : upgrade && hasAltboot,
      attempts_left: null,
    };
  }
  return {
    next_slot: next,
    rollback_count: triesSpent(upgrade, count, limit),
    upgrade_pending: upgrade,
    slots,
    boot_count: count,
    rollback_retries: limit,
    auto_rollback: limit === null ? null : hasAltboot,
    consistent,
    warnings,
  };
}

/**
 * Tries spent toward a rollback. U-Boot counts `bootcount` only while `upgrade_available=1`;
 * `altbootcmd` clears it and leaves the count past the limit, so that state means every try was
 * spent and the bootloader fell back. No trial and no overrun: nothing counts toward a rollback.
 */
function triesSpent(upgrade: boolean | null, count: number | null, limit: number | null) {
  if (upgrade === null || count === null) return null;
  if (upgrade) return limit === null ? count : Math.min(count, limit);
  if (limit === null) return null;
  return count > limit ? limit : 0;
}
