import type { NodeSim, NodeSimOptions } from './nodes';
import type { PluginSim, PluginSimOptions } from './plugins';

export type SchemeName = 'bootcount' | 'rauc' | 'mender';
export type VarKey = 'slot' | 'upgrade' | 'count' | 'limit';
export type Slot = 'A' | 'B';

export interface SimOptions {
  scheme?: SchemeName;
  booted?: Slot;
  /** Version of the image in each slot at start; null = the slot holds no bootable image. */
  versions?: { A?: string | null; B?: string | null };
  slotSize?: number;
  dir?: string;
  /** sshd's port on 127.0.0.1 (default: a free one). */
  port?: number;
  /** Commands over SSH find only BusyBox applets (plus fw_printenv/fw_setenv) in PATH. */
  busybox?: boolean;
  /**
   * Commands over SSH find only what GATEWAY-CONTRACT.md section 1 promises: a POSIX shell
   * (dash) and the listed tools as BusyBox applets (no wc, basename, sleep, sed, ...). The least
   * a gateway following the contract may offer. The sim's own scripts keep every applet.
   */
  contractToolsOnly?: boolean;
  /**
   * Also offer password login, for this one throwaway user only (a uid-0 alias, as a gateway's
   * maintenance login is) that exists only inside sshd's own mount namespace (copies of
   * /etc/passwd and /etc/shadow bound over the real ones there): the machine's users and
   * root's password are never touched, and every other user still logs in by key only.
   */
  passwordUser?: { name: string; password: string };
  vars?: Partial<Record<VarKey, string>>;
  attempts?: number;
  /**
   * A reboot like a real one: every SSH session dies with the power, the gateway is unreachable
   * for `downMs`, then U-Boot runs and sshd is back on the same port. `downMs: null` = it never
   * comes back (until `powerOn()`). Without this, `reboot` keeps sshd up and plays U-Boot only.
   */
  powerCycle?: { downMs: number | null };
  /** The first N `reboot` commands do nothing (a reboot lost with the link, or a hung init). */
  ignoreReboots?: number;
  /**
   * The field bug: U-Boot has already counted the boot in the environment, but for this many
   * seconds sessions still answer from the old system (its cmdline, version and boot id).
   */
  staleKernelSeconds?: number;
  /** Commands run over SSH that take this many extra milliseconds (a slow eMMC, a busy CPU). */
  slowCommands?: Record<string, number>;
  /** The slot device lives on a filesystem of this many bytes: a bigger write hits "No space left". */
  slotCapacity?: { A?: number; B?: number };
  /** A plugin folder and restart command (GATEWAY-CONTRACT.md section 6; see plugins.ts). */
  plugins?: PluginSimOptions;
  /** Nodes behind the gateway and their tool (section 7; see nodes.ts). */
  nodes?: NodeSimOptions;
}

/** The tools GATEWAY-CONTRACT.md section 1 lists (plus `sh`, the POSIX shell it promises). */
export const CONTRACT_TOOLS = [
  'sh',
  'cat',
  'head',
  'dd',
  'sha256sum',
  'sync',
  'uname',
  'df',
  'tar',
  'gzip',
  'mkdir',
  'mv',
  'rm',
  'base64',
];

export interface GatewaySim {
  host: '127.0.0.1';
  port: number;
  user: string;
  /** With `passwordUser`: that user's name; it logs in by password only. */
  passwordUser?: string;
  keyFile: string;
  hostKeyFingerprint: string;
  root: string;
  profilePath: string;
  profile: Record<string, unknown>;
  env(): Promise<Record<string, string>>;
  setEnv(vars: Record<string, string>): Promise<void>;
  reboot(): Promise<void>;
  regenerateHostKey(): Promise<string>;
  writeImage(
    slot: Slot,
    version: string,
    opts?: { healthy?: boolean; size?: number },
  ): Promise<void>;
  setSafety(signals: object): Promise<void>;
  /** How many power cycles `reboot` has caused (with `powerCycle`). */
  readonly powerCycles: number;
  /** Boot a gateway left down by `powerCycle: { downMs: null }`: U-Boot, then sshd. */
  powerOn(): Promise<void>;
  plugins?: PluginSim;
  nodes?: NodeSim;
  stop(): Promise<void>;
}

export const SIM_IMAGE_SIZE = 1024 * 1024;
export const SAFE_SIGNALS = {
  crane_motion: { status: 'idle' },
  acs_collision: { status: 'clear', distance: 12.5 },
  ups_battery: { level: 95 },
  network_connectivity: { status: 'connected' },
};

export const defaultVars = (scheme: SchemeName): Record<VarKey, string> => ({
  slot: scheme === 'mender' ? 'mender_boot_part' : 'boot_slot',
  upgrade: 'upgrade_available',
  count: 'bootcount',
  limit: 'bootlimit',
});
