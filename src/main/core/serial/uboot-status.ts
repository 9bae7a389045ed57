import type { Profile, SlotId } from '../../../shared/profile';
import type { GatewayStatus } from '../../../shared/status';
import { otherSlot } from '../bootloader/slots';
import { schemeFor } from '../bootloader/scheme';
import { assembleStatus } from '../gateways/status';

/**
 * The status at the U-Boot prompt: only the environment can be read. Linux facts are null;
 * `partitions.active` is the slot U-Boot will boot (nothing is booted), and `boot.booted_slot`
 * stays null, so nothing that needs a booted system (an update over SSH) takes it as one.
 */
export function ubootStatus(
  env: Record<string, string> | null,
  profile: Profile,
  target: string,
  note: string,
): GatewayStatus {
  const envText = env
    ? Object.entries(env)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n')
    : null;
  const base = assembleStatus(envText === null ? {} : { env: { rc: 0, out: envText } }, profile, {
    type: 'console',
    target,
  });
  const next = base.boot?.next_slot ?? null;
  const scheme = env ? schemeFor(profile).read(env, profile, next) : null;
  const slot = (id: SlotId | null, role: 'active' | 'inactive') => {
    const st = id && base.boot ? base.boot.slots[id] : null;
    return {
      ...base.partitions[role],
      id,
      version: null,
      status:
        st?.bootable === false && st.attempts_left === 0
          ? ('unbootable' as const)
          : ('unknown' as const),
      boot_count: role === 'active' ? (scheme?.boot_count ?? null) : null,
      next_boot: id && next ? id === next : null,
      health: null,
    };
  };
  return {
    ...base,
    status: 'bootloader',
    partitions: {
      ...base.partitions,
      active: slot(next, 'active'),
      inactive: slot(next ? otherSlot(next) : null, 'inactive'),
    },
    system: {
      cpu_usage: null,
      memory_usage: null,
      disk_usage: null,
      temperature: null,
      network_status: null,
    },
    // Only what the environment says; the Linux files cannot be read from U-Boot.
    warnings: [note, ...(scheme?.warnings ?? [])],
  };
}
