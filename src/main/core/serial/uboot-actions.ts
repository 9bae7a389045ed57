import { RiggerError } from '../../../shared/errors';
import type { Profile, SlotId } from '../../../shared/profile';
import { otherSlot } from '../bootloader/slots';
import { schemeFor } from '../bootloader/scheme';
import { escapeRegExp } from '../util/regex';
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

/** The profile's U-Boot command that boots the recovery system, or why there is none. */
export function recoveryCommand(profile: Profile): string {
  const cmd = profile.console?.recovery_command;
  if (!cmd) {
    throw new RiggerError(
      'PROFILE_INVALID',
      `The profile ${profile.name} does not say how U-Boot boots the recovery system`,
      { profile: profile.name, field: 'console.recovery_command' },
      ['Add console.recovery_command (for example "run recovery_boot") to the profile'],
    );
  }
  return cmd;
}

/**
 * At the U-Boot prompt, run the profile's recovery boot command. A command U-Boot refuses
 * comes back to the prompt with its error: that is an error. Otherwise the board boots.
 */
export async function bootRecoveryAtUboot(
  uboot: UBootDriver,
  profile: Profile,
): Promise<{ command: string; output: string }> {
  const cmd = recoveryCommand(profile);
  const from = uboot.link.mark();
  uboot.link.write(`${cmd}\r`);
  await uboot.link.quiet(1500, 8000);
  const output = uboot.link.since(from).replace(/\r/g, '');
  const backAtPrompt = new RegExp(`\\n${escapeRegExp(uboot.prompt.trim())}\\s*$`).test(output);
  if (backAtPrompt && /Unknown command|## Error|Error:|\bFailed\b|not found/i.test(output)) {
    throw new RiggerError(
      'COMMAND_FAILED',
      `U-Boot could not boot the recovery system: ${output.trim().split('\n').slice(-2).join(' ')}`,
      { command: cmd, output },
      ["Check the recovery partition and the profile's console.recovery_command"],
    );
  }
  return { command: cmd, output };
}
