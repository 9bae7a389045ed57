import type { OperationOutput } from '../../../shared/api';
import { RiggerError } from '../../../shared/errors';
import type { SlotId } from '../../../shared/profile';
import type { ConsoleAction, Session } from './console-types';
import { bootRecoveryAtUboot, switchAtUboot } from './uboot-actions';

/** Run a quick console action on a session the caller already drives (one at a time). */
export async function runConsoleAction(
  s: Session,
  action: ConsoleAction,
  slot?: SlotId,
): Promise<OperationOutput<'console.action'>> {
  if (action === 'stop_autoboot') {
    await s.uboot.stopAutoboot(60_000);
    s.state = 'uboot';
    return { output: 'Stopped at the U-Boot prompt', env: null };
  }
  if (action === 'printenv') {
    const env = await s.uboot.printenv();
    return { output: `${Object.keys(env).length} variables`, env };
  }
  if (action === 'reset') {
    s.uboot.reset();
    s.state = 'unknown';
    return { output: 'Reset sent', env: null };
  }
  if (action === 'boot_recovery') {
    if (!s.profile) {
      throw new RiggerError(
        'VALIDATION_ERROR',
        'Booting the recovery system needs the gateway (its profile names the command)',
        { gateway: s.gateway },
        ['Open the console for a registered gateway'],
      );
    }
    const r = await bootRecoveryAtUboot(s.uboot, s.profile);
    s.state = 'unknown';
    return { output: `Booting the recovery system (${r.command})`, env: null };
  }
  if (!slot || !s.profile) {
    throw new RiggerError(
      'VALIDATION_ERROR',
      'Switching the slot needs the gateway (for its boot scheme) and the slot to boot',
      { slot: slot ?? null, gateway: s.gateway },
      ['Open the console for a registered gateway'],
    );
  }
  // Boot `slot` for good: it is selected and the other is no longer tried.
  const env = await switchAtUboot(s.uboot, s.profile, slot);
  s.state = 'unknown';
  return { output: `Slot ${slot} selected and saved; resetting`, env };
}
