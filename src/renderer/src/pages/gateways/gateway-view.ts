import type { SlotId } from '../../../../shared/profile';
import type { BootState, GatewayStatus, PartitionStatus } from '../../../../shared/status';
import { celsius, percent, shown } from '../../format';
import type { StatusEntry } from '../../stores/status';
import { formatSeedTime } from '../../../../shared/format/time';

/** The partition record of slot A or B, whichever of active/inactive it is; null if unknown. */
export function slotPartition(status: GatewayStatus | null, slot: SlotId): PartitionStatus | null {
  if (!status) return null;
  const { active, inactive } = status.partitions;
  if (active.id === slot) return active;
  if (inactive.id === slot) return inactive;
  return null;
}

/**
 * The slot that booted: the active partition's id, else what the boot environment says. At
 * the U-Boot prompt nothing is booted (the active entry is the slot U-Boot will boot).
 */
export function bootedSlot(status: GatewayStatus | null): SlotId | null {
  if (status?.status === 'bootloader') return null;
  return status?.partitions.active.id ?? status?.boot?.booted_slot ?? null;
}

/** Will U-Boot pick this slot at the next boot? null when that cannot be told. */
export function isNextBoot(
  boot: BootState | null,
  partition: PartitionStatus | null,
  slot: SlotId,
): boolean | null {
  if (boot?.next_slot) return boot.next_slot === slot;
  return partition?.next_boot ?? null;
}

/** Boot attempts left on a slot, in words: a number, "not counted" outside a trial, or unknown. */
export function attemptsText(boot: BootState | null, slot: SlotId): string {
  const left = boot?.slots[slot].attempts_left ?? null;
  if (left !== null) return String(left);
  if (boot?.upgrade_pending === false) return 'not counted (no update on trial)';
  return 'unknown';
}

/** A slot's health check result; only the booted slot can run one. */
export function healthText(partition: PartitionStatus | null, booted: boolean): string {
  if (partition?.health) return partition.health;
  return booted ? 'unknown' : 'not checked (not running)';
}

/** Whether the running update is committed, in words. */
export function commitText(boot: BootState | null): string {
  if (boot?.upgrade_pending === true) return 'update on trial, not committed';
  if (boot?.upgrade_pending === false) return 'committed';
  return 'commit state unknown';
}

/** "Name (id)" as the gateway reports itself, or whichever half is known. */
export function identityTitle(status: GatewayStatus): string {
  const { name, id } = status.gateway;
  if (name && id) return `${name} (${id})`;
  return name ?? id ?? 'identity unknown';
}

/** The gateway's identity, one labelled line each; what was not read says "unknown". */
export function identityRows(status: GatewayStatus): Array<readonly [string, string]> {
  const g = status.gateway;
  return [
    ['ID', shown(g.id)],
    ['Name', shown(g.name)],
    ['Model', shown(g.model)],
    ['Serial number', shown(g.serial_number)],
    ['Hardware revision', shown(g.hardware_revision)],
    ['OS version', shown(g.os_version)],
    ['Kernel', shown(g.kernel)],
    ['Bootloader', shown(g.bootloader)],
    ['Uptime', shown(g.uptime)],
    ['Last OTA', formatSeedTime(g.last_ota)],
  ];
}

/** The system figures; null is "unknown", never 0. */
export function systemRows(status: GatewayStatus): Array<readonly [string, string]> {
  const s = status.system;
  const p = status.partitions;
  return [
    ['CPU', percent(s.cpu_usage)],
    ['Memory', percent(s.memory_usage)],
    ['Disk', percent(s.disk_usage)],
    ['Temperature', celsius(s.temperature)],
    ['Network', shown(s.network_status)],
    ['Auto rollback', p.auto_rollback === null ? 'unknown' : p.auto_rollback ? 'armed' : 'off'],
    ['Rollback retries', shown(p.rollback_retries)],
    ['Rollback tries used', shown(p.rollback_count)],
  ];
}

/** The status word of a gateway card, from what this session knows of it. */
export function cardState(entry: StatusEntry): string {
  if (entry.loading) return 'checking';
  if (entry.error) {
    switch (entry.error.code) {
      case 'HOST_KEY_UNKNOWN':
        return 'key not trusted';
      case 'HOST_KEY_CHANGED':
        return 'key changed';
      case 'HOST_UNREACHABLE':
      case 'COMMAND_TIMEOUT':
        return 'unreachable';
      case 'AUTH_FAILED':
        return 'login refused';
      default:
        return 'error';
    }
  }
  return entry.status?.status ?? 'not checked';
}
