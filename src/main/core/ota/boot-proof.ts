import type { SlotId } from '../../../shared/profile';
import type { GatewayStatus } from '../../../shared/status';
import { envMismatch } from './env-write';

/**
 * Has the gateway really rebooted since the try-boot write, and does what it shows make a
 * verdict? The boot must have changed: a new kernel boot id where both are known (a session
 * still served by the old system shows the old one, whatever the environment already says);
 * without boot ids, the old rule (the target booted, or the bootloader changed the environment).
 * Then the picture must agree with itself: back on the old slot counts as a rollback only when
 * the environment no longer boots the target next; a rollback gives the target up.
 */
export function rebootProven(
  target: SlotId,
  tryVars: Record<string, string>,
  bootIdBefore: string | null | undefined,
) {
  return (s: GatewayStatus): boolean => {
    const boot = s.boot;
    if (!boot || boot.booted_slot === null) return false;
    const changed =
      bootIdBefore && boot.boot_id
        ? boot.boot_id !== bootIdBefore
        : boot.booted_slot === target || envMismatch(boot.env, tryVars).length > 0;
    if (!changed) return false;
    return boot.booted_slot === target || boot.next_slot !== target;
  };
}

/** Two reads show the same boot: same boot id, booted slot and next slot. */
export function sameBoot(a: GatewayStatus, b: GatewayStatus): boolean {
  return (
    (a.boot?.boot_id ?? null) === (b.boot?.boot_id ?? null) &&
    a.boot?.booted_slot === b.boot?.booted_slot &&
    a.boot?.next_slot === b.boot?.next_slot
  );
}
