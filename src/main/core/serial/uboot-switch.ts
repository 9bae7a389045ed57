import { RiggerError } from '../../../shared/errors';
import type { Profile, SlotId } from '../../../shared/profile';
import { otherSlot } from '../bootloader/slots';
import { schemeFor } from '../bootloader/scheme';
import type { UBootDriver } from './uboot-driver';

/**
 * At the U-Boot prompt, boot `slot` from now on: the scheme's variables (the other slot made
 * unbootable), `saveenv`, the environment read back, then `reset`. A `saveenv` that fails is an
 * error, and the unsaved values are put back first: they would still steer a `boot` typed at
 * this prompt. Nothing is reset unless the saved environment says exactly what was asked.
 */
export async function switchAtUboot(
  uboot: UBootDriver,
  profile: Profile,
  slot: SlotId,
): Promise<Record<string, string>> {
  const vars = schemeFor(profile).disable(otherSlot(slot), slot, profile);
  const before = await uboot.printenv();
  for (const [k, v] of Object.entries(vars)) await uboot.setenv(k, v);
  try {
    await uboot.saveenv();
  } catch (err) {
    for (const k of Object.keys(vars)) await uboot.setenv(k, before[k] ?? '');
    throw err;
  }
  const env = await uboot.printenv();
  const bad = Object.entries(vars).filter(([k, v]) => (env[k] ?? '') !== v);
  if (bad.length) {
    throw new RiggerError(
      'COMMAND_FAILED',
      `U-Boot did not keep ${bad.map(([k]) => k).join(', ')}: nothing is reset`,
      {
        mismatches: bad.map(([name, expected]) => ({ name, expected, actual: env[name] ?? null })),
      },
      ['Read the environment (printenv) and try again'],
    );
  }
  uboot.reset();
  return env;
}
