import type { BootSchemeName, Profile, SlotId } from '../../../shared/profile';
import { bootcountScheme } from './bootcount';
import { menderScheme } from './mender';
import { raucScheme } from './rauc';

/** The slot state one scheme reads out of the bootloader environment. */
export interface SchemeState {
  /** The slot U-Boot will boot next, as far as the environment says. */
  next_slot: SlotId | null;
  /** A slot is on trial and not yet committed. */
  upgrade_pending: boolean | null;
  slots: Record<SlotId, { bootable: boolean | null; attempts_left: number | null }>;
  /** The scheme's boot counter for the booted slot (seed `boot_count`). */
  boot_count: number | null;
  /** How many tries a slot gets before the bootloader falls back (seed `rollback_retries`). */
  rollback_retries: number | null;
  /**
   * Boot tries the bootloader has spent toward an automatic rollback, out of `rollback_retries`
   * (seed `rollback_count`): the tries of the slot on trial, or all of them once the bootloader
   * has fallen back. No scheme keeps a count of past rollbacks, so this is what it can tell.
   */
  rollback_count: number | null;
  /** Will the bootloader fall back by itself if the booted/next slot fails (seed `auto_rollback`)? */
  auto_rollback: boolean | null;
  /** Environment and cmdline agree. False means Rigger must not write. */
  consistent: boolean;
  warnings: string[];
}

/**
 * One way U-Boot picks a slot (GATEWAY-CONTRACT.md section 3): reading the state, and the
 * variables each step sets. Every set of variables is applied in ONE atomic environment write.
 */
export interface BootScheme {
  readonly name: BootSchemeName;
  read(env: Record<string, string>, profile: Profile, booted: SlotId | null): SchemeState;
  /** Boot `slot` once on trial; the bootloader falls back if it does not commit. */
  tryBoot(slot: SlotId, profile: Profile): Record<string, string>;
  /** The booted trial slot is healthy: make it permanent. */
  commit(slot: SlotId, profile: Profile): Record<string, string>;
  /** Make `target` unbootable before writing it, keeping `booted` selected (rule 2). */
  disable(target: SlotId, booted: SlotId, profile: Profile): Record<string, string>;
}

const SCHEMES: Record<BootSchemeName, BootScheme> = {
  bootcount: bootcountScheme,
  rauc: raucScheme,
  mender: menderScheme,
};

/** The scheme a profile names. */
export function schemeFor(profile: Profile): BootScheme {
  return SCHEMES[profile.bootloader.scheme];
}
