import type { Profile, SlotId } from '../../../shared/profile';
import { envInt } from './env';
import { countedVars, readCounted } from './counted';
import type { BootScheme } from './scheme';

const partVar = (profile: Profile) => profile.bootloader.vars?.slot ?? 'mender_boot_part';

const partitionVars = (slot: SlotId, profile: Profile) => {
  const part = profile.slots[slot].partition;
  return { [partVar(profile)]: String(part), mender_boot_part_hex: part.toString(16) };
};

/** `mender`: `mender_boot_part` holds the partition number of the slot; counting as `bootcount`. */
export const menderScheme: BootScheme = {
  name: 'mender',
  read(env, profile, booted) {
    const part = envInt(env[partVar(profile)]);
    const selected: SlotId | null =
      part === profile.slots.A.partition ? 'A' : part === profile.slots.B.partition ? 'B' : null;
    const state = readCounted(
      env,
      profile,
      booted,
      selected,
      `${partVar(profile)}=${env[partVar(profile)] ?? '(unset)'}`,
    );
    const hex = env.mender_boot_part_hex;
    if (part !== null && hex !== undefined && Number.parseInt(hex, 16) !== part) {
      state.warnings.push(`mender_boot_part (${part}) and mender_boot_part_hex (${hex}) disagree.`);
      state.consistent = false;
    }
    return state;
  },
  tryBoot(slot, profile) {
    const v = countedVars(profile);
    return { ...partitionVars(slot, profile), [v.upgrade]: '1', [v.count]: '0' };
  },
  commit(_slot, profile) {
    return { [countedVars(profile).upgrade]: '0' };
  },
  disable(_target, booted, profile) {
    const v = countedVars(profile);
    return { ...partitionVars(booted, profile), [v.upgrade]: '0', [v.count]: '0' };
  },
};
