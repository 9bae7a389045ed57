import type { Profile, SlotId } from '../../../shared/profile';
import type { BootState, GatewayStatus, PartitionStatus } from '../../../shared/status';
import { parseEnv } from '../bootloader/env';
import { schemeFor, type SchemeState } from '../bootloader/scheme';
import { otherSlot } from '../bootloader/slots';
import { parseSlotSize, type Fact, type Facts } from './facts';
import { seedSize } from '../../../shared/format/bytes';
import { seedTimeOrNull } from '../../../shared/format/time';
import { formatUptime } from './format';
import { parseKeyValue } from './key-value';
import { readStatusFile, type SlotRecord } from './status-file';
import {
  cpuUsage,
  diskUsage,
  memoryUsage,
  networkStatus,
  temperature,
  uptimeSeconds,
} from './system-facts';

const shorten = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);
const text = (f: Fact | undefined): string | null => (f && f.rc === 0 ? f.out : null);

/** Which slot's `cmdline_match` stands in the kernel command line, as whole words. */
export function bootedSlotFromCmdline(
  cmdline: string,
  profile: Profile,
): { slot: SlotId | null; warning?: string } {
  const words = new Set(cmdline.trim().split(/\s+/));
  const matches = (['A', 'B'] as SlotId[]).filter((s) =>
    profile.slots[s].cmdline_match
      .trim()
      .split(/\s+/)
      .every((w) => words.has(w)),
  );
  if (matches.length === 1) return { slot: matches[0]! };
  if (matches.length === 2) {
    return {
      slot: null,
      warning: `The kernel command line matches both slots A and B; the profile's cmdline_match strings are ambiguous.`,
    };
  }
  return {
    slot: null,
    warning: `The kernel command line "${shorten(cmdline.trim(), 160)}" matches neither slot (${profile.slots.A.cmdline_match} / ${profile.slots.B.cmdline_match}): the booted slot is unknown.`,
  };
}

interface SlotFacts {
  size: number | null;
  record: SlotRecord | null;
}

/** The seed's partition entry for one slot. */
function partition(
  slot: SlotId | null,
  role: 'active' | 'inactive',
  facts: { version: string | null; health: 'good' | 'bad' | null; slot: SlotFacts | null },
  scheme: SchemeState | null,
): PartitionStatus {
  const next = scheme?.next_slot ?? null;
  const slotState = slot && scheme ? scheme.slots[slot] : null;
  let status: PartitionStatus['status'] = 'unknown';
  if (role === 'active') {
    if (facts.health === 'bad') status = 'unhealthy';
    else if (scheme?.upgrade_pending && next === slot) status = 'trying';
    else if (facts.health === 'good') status = 'healthy';
  } else if (slotState?.attempts_left === 0 && slotState.bootable === false) {
    status = 'unbootable';
  } else if (facts.slot?.record?.version) {
    status = 'ready';
  }
  return {
    id: slot,
    version: facts.version,
    status,
    boot_count: role === 'active' ? (scheme?.boot_count ?? null) : null,
    next_boot: slot && next ? next === slot : null,
    size: seedSize(facts.slot?.size ?? null),
    used: seedSize(facts.slot?.record?.size ?? null),
    health: role === 'active' ? facts.health : null,
  };
}

/**
 * Build the seed's gateway status from the facts read off the gateway. Pure: everything the
 * gateway could not tell stays null, and every disagreement becomes a warning, never a throw.
 */
export function assembleStatus(
  facts: Facts,
  profile: Profile,
  connection: GatewayStatus['connection'],
  now: Date = new Date(),
): GatewayStatus {
  const warnings: string[] = [];
  const identityText = text(facts.identity);
  if (identityText === null)
    warnings.push(`The identity file ${profile.identity_file} cannot be read.`);
  const identity = parseKeyValue(identityText ?? '');
  const osRelease = parseKeyValue(text(facts.os_release) ?? '');
  if (text(facts.os_release) === null)
    warnings.push(`${profile.os_release_file} cannot be read: the booted version is unknown.`);

  const cmdline = text(facts.cmdline);
  let booted: SlotId | null = null;
  if (cmdline === null)
    warnings.push(`${profile.cmdline_file} cannot be read: the booted slot is unknown.`);
  else {
    const b = bootedSlotFromCmdline(cmdline, profile);
    booted = b.slot;
    if (b.warning) warnings.push(b.warning);
  }

  const envText = text(facts.env);
  let boot: BootState | null = null;
  let scheme: SchemeState | null = null;
  if (envText === null) {
    warnings.push(
      `The bootloader environment cannot be read (fw_printenv -c ${profile.bootloader.fw_env_config} failed).`,
    );
  } else {
    const env = parseEnv(envText);
    scheme = schemeFor(profile).read(env, profile, booted);
    warnings.push(...scheme.warnings);
    boot = {
      scheme: profile.bootloader.scheme,
      booted_slot: booted,
      next_slot: scheme.next_slot,
      upgrade_pending: scheme.upgrade_pending,
      slots: scheme.slots,
      consistent: scheme.consistent && booted !== null,
      env,
      boot_id: text(facts.boot_id)?.trim() || null,
    };
  }

  const statusFile = readStatusFile(facts.status_file, profile.status_file);
  if (statusFile.warning) warnings.push(statusFile.warning);

  const slotFacts = (s: SlotId): SlotFacts => {
    const f = facts[`size_${s}`];
    let size: number | null = null;
    if (f?.rc === 0) size = parseSlotSize(f.out);
    else if (f?.rc === 3) {
      warnings.push(
        `Slot ${s} device ${profile.slots[s].device} does not exist on this gateway: the profile does not fit it. Rigger will not write to it.`,
      );
      if (boot) boot.consistent = false;
    }
    return { size, record: statusFile.slots[s] ?? null };
  };

  const health = facts.health === undefined ? null : facts.health.rc === 0 ? 'good' : 'bad';
  const bootedVersion = osRelease.VERSION_ID ?? null;
  const otherId = booted ? otherSlot(booted) : null;
  const recordOfBooted = booted ? statusFile.slots[booted] : undefined;
  if (bootedVersion && recordOfBooted?.version && recordOfBooted.version !== bootedVersion) {
    warnings.push(
      `Slot ${booted} runs ${bootedVersion} but Rigger's status file says ${recordOfBooted.version} was written there.`,
    );
  }
  const lastOta = Object.values(statusFile.slots)
    .map((r) => r?.installed_at)
    .filter((t): t is string => !!t)
    .sort()
    .at(-1);

  return {
    status: 'online',
    gateway: {
      id: identity.GATEWAY_ID ?? null,
      name: identity.GATEWAY_NAME ?? null,
      model: identity.MODEL ?? null,
      os_version: bootedVersion,
      kernel: text(facts.kernel)?.trim() || null,
      uptime: formatUptime(uptimeSeconds(facts.uptime)),
      bootloader: identity.BOOTLOADER ?? boot?.env.ver ?? null,
      last_ota: seedTimeOrNull(lastOta),
      serial_number: identity.SERIAL_NUMBER ?? null,
      hardware_revision: identity.HARDWARE_REVISION ?? null,
    },
    partitions: {
      active: partition(
        booted,
        'active',
        { version: bootedVersion, health, slot: booted ? slotFacts(booted) : null },
        scheme,
      ),
      inactive: partition(
        otherId,
        'inactive',
        {
          version: otherId ? (statusFile.slots[otherId]?.version ?? null) : null,
          health: null,
          slot: otherId ? slotFacts(otherId) : null,
        },
        scheme,
      ),
      auto_rollback: scheme?.auto_rollback ?? null,
      rollback_retries: scheme?.rollback_retries ?? null,
      rollback_count: scheme?.rollback_count ?? null,
    },
    system: {
      cpu_usage: cpuUsage(facts.cpu),
      memory_usage: memoryUsage(facts.meminfo),
      disk_usage: diskUsage(facts.disk),
      temperature: temperature(facts.thermal),
      network_status: networkStatus(facts.route),
    },
    boot,
    connection,
    warnings,
    checked_at: now.toISOString(),
  };
}
