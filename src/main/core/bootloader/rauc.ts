import type { SlotId } from '../../../shared/profile';
import { envInt } from './env';
import type { BootScheme, SchemeState } from './scheme';
import { otherSlot } from './slots';

const leftVar = (slot: SlotId) => `BOOT_${slot}_LEFT`;

/** `rauc` (bootchooser): `BOOT_ORDER` lists slots; each boot of a slot spends one of `BOOT_x_LEFT`. */
export const raucScheme: BootScheme = {
  name: 'rauc',
  read(env, profile, booted) {
    const warnings: string[] = [];
    const attempts = profile.bootloader.attempts;
    const order = (env.BOOT_ORDER ?? '')
      .trim()
      .split(/\s+/)
      .filter((s): s is SlotId => s === 'A' || s === 'B');
    const left: Record<SlotId, number | null> = {
      A: envInt(env[leftVar('A')]),
      B: envInt(env[leftVar('B')]),
    };
    let consistent = true;
    if (order.length === 0) {
      warnings.push(
        `BOOT_ORDER is ${env.BOOT_ORDER === undefined ? 'unset' : `"${env.BOOT_ORDER}"`}: the bootloader has no slot to boot.`,
      );
      consistent = false;
    }
    const next = order.find((s) => (left[s] ?? 0) > 0) ?? null;
    if (booted && order.length && !order.includes(booted)) {
      warnings.push(
        `Slot ${booted} is booted but is not in BOOT_ORDER "${env.BOOT_ORDER}". Rigger will not write until this is resolved.`,
      );
      consistent = false;
    }
    const slots: SchemeState['slots'] = {
      A: { bootable: order.includes('A') && (left.A ?? 0) > 0, attempts_left: left.A },
      B: { bootable: order.includes('B') && (left.B ?? 0) > 0, attempts_left: left.B },
    };
    const bootedLeft = booted ? left[booted] : null;
    // The slot on trial is the first in BOOT_ORDER; at 0 left it has spent every try (fallen back).
    const firstLeft = order[0] ? left[order[0]] : null;
    const trying = booted !== null && bootedLeft !== null && bootedLeft < attempts;
    return {
      next_slot: next,
      upgrade_pending: booted === null ? null : next !== booted || trying,
      slots,
      boot_count: bootedLeft === null ? null : Math.max(0, attempts - bootedLeft),
      rollback_retries: attempts,
      rollback_count:
        firstLeft === null ? null : Math.min(attempts, Math.max(0, attempts - firstLeft)),
      auto_rollback: booted === null ? null : slots[otherSlot(booted)].bootable,
      consistent,
      warnings,
    };
  },
  tryBoot(slot, profile) {
    return {
      BOOT_ORDER: `${slot} ${otherSlot(slot)}`,
      [leftVar(slot)]: String(profile.bootloader.attempts),
    };
  },
  commit(slot, profile) {
    return { [leftVar(slot)]: String(profile.bootloader.attempts) };
  },
  disable(target, booted) {
    return { BOOT_ORDER: `${booted} ${target}`, [leftVar(target)]: '0' };
  },
};
