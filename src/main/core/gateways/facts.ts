import type { Profile, SlotId } from '../../../shared/profile';
import { shq, type GatewaySession } from './session';

/** One thing read off the gateway: what the command printed and its exit status. */
export interface Fact {
  rc: number;
  out: string;
}
export type Facts = Record<string, Fact | undefined>;

/**
 * A slot device's size, with only what GATEWAY-CONTRACT.md section 1 guarantees (a POSIX shell
 * and its builtins, cat, dd, ...): `sectors N` from sysfs for a block device (the name by
 * parameter expansion, not `basename`); for a plain file, `wc -c` where the gateway has it,
 * otherwise tar's listing of it (BusyBox dd prints no byte count). `parseSlotSize` reads any of
 * the three. Exit 3: no such device.
 */
const sizeOf = (device: string) =>
  `d=${shq(device)}; if [ -b "$d" ]; then s=$(cat "/sys/class/block/\${d##*/}/size") && echo "sectors $s"; ` +
  `elif [ -f "$d" ]; then if command -v wc >/dev/null; then wc -c < "$d"; ` +
  `else tar chf - "$d" | tar tvf -; fi; else echo missing; exit 3; fi`;

/** Bytes from a size fact: `sectors N` (512-byte sysfs sectors), a bare N, or a `tar tv` line. */
export function parseSlotSize(out: string): number | null {
  const text = out.trim();
  const sectors = /^sectors (\d+)$/.exec(text);
  if (sectors) return Number(sectors[1]) * 512;
  if (/^\d+$/.test(text)) return Number(text);
  // tar tv: mode, owner, size, date, ... (GNU and BusyBox alike).
  const tar = /^[-\w]{10}\s+\S+\s+(\d+)\s/.exec(text);
  return tar ? Number(tar[1]) : null;
}

/**
 * Two /proc/stat samples a moment apart. `sleep` is not among the contract's tools: where the
 * gateway lacks it, the section fails and cpu_usage is null rather than a figure measured over
 * no time at all.
 */
const CPU_SAMPLES =
  'head -n 1 /proc/stat; { sleep 0.3 || sleep 1; } 2>/dev/null || exit 1; head -n 1 /proc/stat';

/**
 * The contract commands (GATEWAY-CONTRACT.md section 1) status needs, as named sections. They
 * run as ONE shell script in one exec, so a status costs one round trip over SSH or a console.
 */
export function factCommands(profile: Profile): Record<string, string> {
  const slotSizes: Record<string, string> = {};
  for (const s of ['A', 'B'] as SlotId[]) slotSizes[`size_${s}`] = sizeOf(profile.slots[s].device);
  return {
    identity: `cat ${shq(profile.identity_file)}`,
    os_release: `cat ${shq(profile.os_release_file)}`,
    cmdline: `cat ${shq(profile.cmdline_file)}`,
    boot_id: `cat ${shq(profile.boot_id_file)}`,
    kernel: 'uname -r',
    uptime: 'cat /proc/uptime',
    env: `fw_printenv -c ${shq(profile.bootloader.fw_env_config)}`,
    status_file: `cat ${shq(profile.status_file)}`,
    health: profile.health_check,
    ...slotSizes,
    disk: `df -Pk ${shq(profile.data_paths[0]!)}`,
    meminfo: 'cat /proc/meminfo',
    cpu: CPU_SAMPLES,
    thermal:
      'for z in /sys/class/thermal/thermal_zone*/temp; do [ -r "$z" ] && cat "$z" && exit 0; done; exit 1',
    route: 'cat /proc/net/route',
  };
}

const MARK = '@@RIGGER@@';

/** The single script: each section's output base64-encoded between markers, with its exit status. */
export function factScript(commands: Record<string, string>): string {
  const lines = ['exec 2>/dev/null'];
  for (const [name, cmd] of Object.entries(commands)) {
    // A subshell keeps an `exit` in one section from ending the script.
    lines.push(
      `out=$( (${cmd}) )`,
      `rc=$?`,
      `echo "${MARK} ${name} $rc"`,
      `printf '%s' "$out" | base64`,
      `echo "${MARK} end"`,
    );
  }
  return lines.join('\n') + '\n';
}

/** Parse the script's output back into facts. A section the gateway never printed is absent. */
export function parseFacts(output: string): Facts {
  const facts: Facts = {};
  let current: { name: string; rc: number; b64: string[] } | null = null;
  for (const line of output.split(/\r?\n/)) {
    if (line.startsWith(MARK)) {
      const [, name, rc] = line.split(' ');
      if (name === 'end') {
        if (current)
          facts[current.name] = {
            rc: current.rc,
            out: Buffer.from(current.b64.join(''), 'base64').toString('utf8'),
          };
        current = null;
      } else if (name) {
        current = { name, rc: Number.parseInt(rc ?? '1', 10), b64: [] };
      }
    } else if (current) {
      current.b64.push(line.trim());
    }
  }
  return facts;
}

/** Read every status fact from the gateway in one exec. */
export async function gatherFacts(session: GatewaySession, profile: Profile): Promise<Facts> {
  const r = await session.exec('sh -s', { stdin: factScript(factCommands(profile)) });
  return parseFacts(r.stdout.toString('utf8'));
}
