import type { Profile, SlotId } from '../../../shared/profile';
import { countedVars, readCounted } from './counted';
import type { BootScheme } from './scheme';

const slotVar = (profile: Profile) => profile.bootloader.vars?.slot ?? 'boot_slot';

/** `bootcount`: `boot_slot` names the slot; `upgrade_available` + `bootcount`/`bootlimit` guard a trial. */
export const bootcountScheme: BootScheme = {
  name: 'bootcount',
  read(env, profile, booted) {
    const raw = env[slotVar(profile)];
    const selected: SlotId | null = raw === 'A' || raw === 'B' ? raw : null;
    return readCounted(env, profile, booted, selected, `${slotVar(profile)}=${raw ?? '(unset)'}`);
  },
  tryBoot(slot, profile) {
    const v = countedVars(profile);
    return { [slotVar(profile)]: slot, [v.upgrade]: '1', [v.count]: '0' };
  },
  commit(_slot, profile) {
    const v = countedVars(profile);
    return { [v.upgrade]: '0', [v.count]: '0' };
  },
  disable(_target, booted, profile) {
    const v = countedVars(profile);
    return { [slotVar(profile)]: booted, [v.upgrade]: '0', [v.count]: '0' };
  },
};
