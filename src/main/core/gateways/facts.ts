import type { Profile, SlotId } from '../../../shared/profile';
import { shq, type GatewaySession } from './session';

/** One thing read off the gateway: what the command printed and its exit status. */
export interface Fact {
  rc: number;
  out: string;
}
export type Facts = Record<string, Fact | undefined>;

/** A slot device's size in bytes: sysfs for a block device, the length of a plain file. */
const sizeOf = (device: string) =>
  `if [ -b ${shq(device)} ]; then n=$(basename ${shq(device)}); s=$(cat /sys/class/block/$n/size) && echo $((s * 512)); ` +
  `elif [ -f ${shq(device)} ]; then wc -c < ${shq(device)}; else echo missing; exit 3; fi`;

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
    kernel: 'uname -r',
    uptime: 'cat /proc/uptime',
    env: `fw_printenv -c ${shq(profile.bootloader.fw_env_config)}`,
    status_file: `cat ${shq(profile.status_file)}`,
    health: profile.health_check,
    ...slotSizes,
    disk: `df -Pk ${shq(profile.data_paths[0]!)}`,
    meminfo: 'cat /proc/meminfo',
    cpu: 'head -n 1 /proc/stat; sleep 0.3 2>/dev/null || sleep 1; head -n 1 /proc/stat',
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
