import { execFile, execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { closeSync, openSync, writeSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { makeSimImage, sha256 } from './image';
import { fingerprintOfPub, makeKey, startSshd, type Sshd } from './sshd';
import { setupNodes, type NodeSim, type NodeSimOptions } from './nodes';
import { setupPlugins, type PluginSim, type PluginSimOptions } from './plugins';

export { makeSimImage } from './image';
export type SchemeName = 'bootcount' | 'rauc' | 'mender';
type VarKey = 'slot' | 'upgrade' | 'count' | 'limit';
type Slot = 'A' | 'B';

const run = promisify(execFile);

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

const SIM_IMAGE_SIZE = 1024 * 1024;
export const SAFE_SIGNALS = {
  crane_motion: { status: 'idle' },
  acs_collision: { status: 'clear', distance: 12.5 },
  ups_battery: { level: 95 },
  network_connectivity: { status: 'connected' },
};

const defaultVars = (scheme: SchemeName): Record<VarKey, string> => ({
  slot: scheme === 'mender' ? 'mender_boot_part' : 'boot_slot',
  upgrade: 'upgrade_available',
  count: 'bootcount',
  limit: 'bootlimit',
});

/** Write `buf` at the start of a slot file without truncating it (it stays slot-sized). */
function writeAtStart(path: string, buf: Buffer): void {
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, buf, 0, buf.length, 0);
  } finally {
    closeSync(fd);
  }
}

/** Start a test gateway: a real sshd on 127.0.0.1 in front of a root folder that plays the gateway. */
export async function startGatewaySim(opts: SimOptions = {}): Promise<GatewaySim> {
  const scheme = opts.scheme ?? 'bootcount';
  const booted: Slot = opts.booted ?? 'A';
  const other: Slot = booted === 'A' ? 'B' : 'A';
  const attempts = opts.attempts ?? 3;
  const slotSize = opts.slotSize ?? 64 * 1024 * 1024;
  const vars = { ...defaultVars(scheme), ...opts.vars };
  const versions = { A: 'v5.0.4', B: 'v5.0.3', ...opts.versions };
  const root = opts.dir ?? mkdtempSync(join(tmpdir(), 'rigger-gw-'));
  const p = (...parts: string[]) => join(root, ...parts);
  for (const d of [
    'dev',
    'etc',
    'proc',
    'run/gateway',
    'data/rigger',
    'data/config',
    'var/log',
    'sbin',
    'ssh',
    'bin',
    'run/boot',
  ]) {
    mkdirSync(p(d), { recursive: true });
  }
  // What the booted Linux shows lives in run/boot/current (see linux_up in uboot.sh), swapped
  // in one rename at each boot; these are links into it.
  symlinkSync('../run/boot/current/cmdline', p('proc', 'cmdline'));
  symlinkSync('../run/boot/current/boot_id', p('proc', 'boot_id'));
  symlinkSync('../run/boot/current/os-release', p('etc', 'os-release'));
  symlinkSync('../boot/current/healthy', p('run', 'gateway', 'healthy'));
  const dev = { A: p('dev', 'mmcblk0p2'), B: p('dev', 'mmcblk0p3') };
  const part = { A: 2, B: 3 };
  for (const f of [dev.A, dev.B, p('dev', 'mmcblk0p1')]) {
    writeFileSync(f, '');
    execFileSync('truncate', ['-s', String(slotSize), f]);
  }
  // A slot whose storage is smaller than it claims: its device is a file on a small tmpfs.
  const mounts: string[] = [];
  for (const s of ['A', 'B'] as Slot[]) {
    const bytes = opts.slotCapacity?.[s];
    if (bytes === undefined) continue;
    const fs = p('fs', s);
    mkdirSync(fs, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', fs]);
    mounts.push(fs);
    execFileSync('truncate', ['-s', String(slotSize), join(fs, 'slot')]);
    rmSync(dev[s]);
    symlinkSync(join(fs, 'slot'), dev[s]);
  }

  // Identity, data and logs.
  writeFileSync(
    p('etc', 'gateway-release'),
    'GATEWAY_ID=univa-gw-sim-01\nGATEWAY_NAME=Univa-GW-Sim-01\nMODEL=Univa-GW-Pro\nSERIAL_NUMBER=GW2025-SIM0001\nHARDWARE_REVISION=RevB\nBOOTLOADER=U-Boot 2024.01\n',
  );
  writeFileSync(p('data', 'config', 'crane.conf'), 'crane_id=STS-07\nplc_address=192.0.2.10\n');
  writeFileSync(p('var', 'log', 'messages'), '2025-03-15T10:00:00Z gateway[1]: INFO started\n');
  writeFileSync(p('var', 'log', 'ota.log'), '2025-03-15T10:00:01Z ota[2]: INFO idle\n');
  writeFileSync(p('run', 'gateway', 'safety.json'), JSON.stringify(SAFE_SIGNALS));
  // With contract tools only, the sim's own scripts (not Rigger's commands) get every applet.
  const simToolsPath = opts.contractToolsOnly ? `PATH='${p('bin-sim')}'\n` : '';
  writeFileSync(
    p('sbin', 'gateway-factory-reset'),
    `#!/bin/sh\n${simToolsPath}rm -rf '${p('data', 'config')}'/*\necho "factory reset $(date -u)" >> '${p('var', 'log', 'messages')}'\n`,
  );
  chmodSync(p('sbin', 'gateway-factory-reset'), 0o755);

  // Images and Rigger's status file for the slots that hold one.
  const status: Record<string, unknown> = {};
  for (const s of ['A', 'B'] as Slot[]) {
    const v = versions[s];
    if (!v) continue;
    const img = makeSimImage(v, SIM_IMAGE_SIZE);
    writeAtStart(dev[s], img);
    status[s] = {
      version: v,
      sha256: sha256(img),
      size: img.length,
      installed_at: '2025-03-01T12:00:00Z',
      image_id: `sim-${v}`,
    };
  }
  writeFileSync(p('data', 'rigger', 'slots.json'), JSON.stringify(status, null, 2));

  // A real U-Boot environment image, edited only by the real tools.
  const envVars: Record<string, string> =
    scheme === 'rauc'
      ? {
          BOOT_ORDER: `${booted} ${other}`,
          BOOT_A_LEFT: String(attempts),
          BOOT_B_LEFT: String(attempts),
        }
      : {
          ...(scheme === 'mender'
            ? { [vars.slot]: String(part[booted]), mender_boot_part_hex: part[booted].toString(16) }
            : { [vars.slot]: booted }),
          [vars.upgrade]: '0',
          [vars.count]: '0',
          [vars.limit]: String(attempts),
          altbootcmd: `setenv ${vars.slot} other; setenv ${vars.upgrade} 0; saveenv; run bootcmd`,
        };
  envVars.bootcmd = 'run distro_bootcmd';
  writeFileSync(
    p('env.txt'),
    Object.entries(envVars)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n') + '\n',
  );
  execFileSync('mkenvimage', ['-s', '0x4000', '-o', p('env.bin'), p('env.txt')]);
  const cfg = p('etc', 'fw_env.config');
  writeFileSync(cfg, `${p('env.bin')} 0x0000 0x4000\n`);
  writeFileSync(
    p('etc', 'sim.conf'),
    [
      `SCHEME=${scheme}`,
      `CFG='${cfg}'`,
      `DEV_A='${dev.A}'`,
      `DEV_B='${dev.B}'`,
      `PART_A=${part.A}`,
      `PART_B=${part.B}`,
      `V_SLOT=${vars.slot}`,
      `V_UP=${vars.upgrade}`,
      `V_CNT=${vars.count}`,
      `V_LIM=${vars.limit}`,
      ...(opts.contractToolsOnly ? [`PATH='${p('bin-sim')}'`] : []),
      '',
    ].join('\n'),
  );
  if (opts.powerCycle) writeFileSync(p('etc', 'sim-power-cycle'), '');
  if (opts.ignoreReboots) writeFileSync(p('run', 'ignore-reboots'), `${opts.ignoreReboots}\n`);
  const staleKernel = () =>
    opts.staleKernelSeconds &&
    writeFileSync(p('run', 'stale-kernel-seconds'), `${opts.staleKernelSeconds}\n`);
  const script = readFileSync(join(__dirname, 'uboot.sh'), 'utf8').replace(
    '#!/bin/sh\n',
    `#!/bin/sh\nROOT='${root}'\n`,
  );
  writeFileSync(p('sbin', 'reboot'), script);
  chmodSync(p('sbin', 'reboot'), 0o755);

  const busybox = opts.busybox || opts.contractToolsOnly;
  if (busybox) {
    const applets = execFileSync('/bin/busybox', ['--list']).toString().split('\n').filter(Boolean);
    const all = opts.contractToolsOnly ? p('bin-sim') : p('bin');
    mkdirSync(all, { recursive: true });
    for (const a of applets) symlinkSync('/bin/busybox', join(all, a));
    const offered = opts.contractToolsOnly ? [p('bin-sim'), p('bin')] : [p('bin')];
    // The shell is dash: BusyBox's own sh runs any of its applets whatever PATH says, so with
    // it nothing would be missing. dash is a plain POSIX shell, as the contract promises.
    if (opts.contractToolsOnly)
      for (const t of CONTRACT_TOOLS)
        symlinkSync(t === 'sh' ? '/bin/dash' : '/bin/busybox', p('bin', t));
    for (const dir of offered) {
      for (const t of ['fw_printenv', 'fw_setenv']) {
        rmSync(join(dir, t), { force: true });
        symlinkSync(`/usr/bin/${t}`, join(dir, t));
      }
      // `reboot` is the sim's U-Boot, never BusyBox's applet, which would reboot this machine.
      rmSync(join(dir, 'reboot'), { force: true });
      symlinkSync(p('sbin', 'reboot'), join(dir, 'reboot'));
    }
  }

  const plugins = opts.plugins && setupPlugins(root, opts.plugins, !!opts.contractToolsOnly);
  const nodes = opts.nodes && setupNodes(root, opts.nodes);
  const profile = {
    profile: 1,
    name: 'univa-gw-sim',
    model: 'Univa-GW-Pro',
    identity_file: p('etc', 'gateway-release'),
    os_release_file: p('etc', 'os-release'),
    cmdline_file: p('proc', 'cmdline'),
    boot_id_file: p('proc', 'boot_id'),
    slots: {
      A: { device: dev.A, size_bytes: slotSize, cmdline_match: `root=${dev.A}`, partition: part.A },
      B: { device: dev.B, size_bytes: slotSize, cmdline_match: `root=${dev.B}`, partition: part.B },
    },
    recovery: { device: p('dev', 'mmcblk0p1') },
    status_file: p('data', 'rigger', 'slots.json'),
    data_paths: [p('data'), p('etc')],
    log_paths: [p('var', 'log')],
    bootloader: {
      fw_env_config: cfg,
      scheme,
      ...(opts.vars ? { vars: opts.vars } : {}),
      attempts,
    },
    health_check: `test -e ${p('run', 'gateway', 'healthy')}`,
    safety_command: `cat ${p('run', 'gateway', 'safety.json')}`,
    factory_reset_command: p('sbin', 'gateway-factory-reset'),
    reboot_command: p('sbin', 'reboot'),
    console: {
      baud: 115200,
      uboot_prompt: '=> ',
      block_command: 'mmc',
      block_device: '0',
      block_size: 512,
      slot_start_block: { A: 264192, B: 17041408 },
      load_address: '${loadaddr}',
      max_load_bytes: 67108864,
    },
    ...(plugins && { plugins: plugins.profile }),
    ...(nodes && { nodes: nodes.profile }),
  };
  const profilePath = p('profile.json');
  writeFileSync(profilePath, JSON.stringify(profile, null, 2));

  const reboot = async () => {
    await run(p('sbin', 'reboot'), ['--now']);
  };
  // First power-on: the booted slot comes up as requested, and it is the committed one.
  await reboot();
  staleKernel();
  if (scheme === 'rauc') {
    const f = p('run', 'sim-commit.txt');
    writeFileSync(f, `BOOT_${booted}_LEFT=${attempts}\n`);
    execFileSync('fw_setenv', ['-c', cfg, '-s', f]);
    rmSync(f);
  }

  // SSH: host key, client key, the daemon.
  const hostKey = p('ssh', 'host_ed25519');
  const keyFile = p('ssh', 'client_ed25519');
  makeKey(hostKey);
  makeKey(keyFile);
  copyFileSync(`${keyFile}.pub`, p('ssh', 'authorized_keys'));
  // Slow commands: wrappers that wait, then run the real tool, first in the session's PATH.
  const basePath = busybox ? p('bin') : process.env.PATH;
  let path = busybox ? p('bin') : undefined;
  if (opts.slowCommands) {
    mkdirSync(p('wrap'));
    for (const [cmd, ms] of Object.entries(opts.slowCommands)) {
      const real = execFileSync('sh', ['-c', `PATH='${basePath}' command -v ${cmd}`])
        .toString()
        .trim();
      writeFileSync(p('wrap', cmd), `#!/bin/sh\nsleep ${ms / 1000}\nexec '${real}' "$@"\n`);
      chmodSync(p('wrap', cmd), 0o755);
    }
    path = `${p('wrap')}:${basePath}`;
  }
  const sshdOpts = {
    path,
    port: opts.port,
    password: opts.passwordUser ? { ...opts.passwordUser, home: root } : undefined,
  };
  let sshd: Sshd = await startSshd(p('ssh'), sshdOpts);
  let fingerprint = fingerprintOfPub(`${hostKey}.pub`);

  // A power cycle asked for by `reboot` (see uboot.sh): sessions die, then U-Boot, then sshd.
  let powerCycles = 0;
  let down = false;
  const powerOn = async () => {
    if (!down) return;
    await reboot();
    sshd = await startSshd(p('ssh'), { ...sshdOpts, port: sshd.port });
    down = false;
  };
  const asked = p('run', 'power-cycle-requested');
  const watcher = setInterval(() => {
    if (down || !existsSync(asked)) return;
    rmSync(asked, { force: true });
    down = true;
    powerCycles++;
    // The reboot command returns first, then the power goes.
    setTimeout(() => {
      void sshd.crash().then(() => {
        const downMs = opts.powerCycle?.downMs;
        if (downMs !== null && downMs !== undefined) setTimeout(() => void powerOn(), downMs);
      });
    }, 200);
  }, 50);
  watcher.unref();

  const sim: GatewaySim = {
    host: '127.0.0.1',
    get port() {
      return sshd.port;
    },
    user: userInfo().username,
    passwordUser: opts.passwordUser?.name,
    keyFile,
    get hostKeyFingerprint() {
      return fingerprint;
    },
    root,
    profilePath,
    profile,
    async env() {
      const { stdout } = await run('fw_printenv', ['-c', cfg]);
      const out: Record<string, string> = {};
      for (const line of stdout.split('\n')) {
        const eq = line.indexOf('=');
        if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1);
      }
      return out;
    },
    async setEnv(values) {
      const f = p('run', 'sim-setenv.txt');
      writeFileSync(
        f,
        Object.entries(values)
          .map(([k, v]) => `${k}=${v}`)
          .join('\n') + '\n',
      );
      await run('fw_setenv', ['-c', cfg, '-s', f]);
      rmSync(f);
    },
    reboot,
    async regenerateHostKey() {
      rmSync(hostKey);
      rmSync(`${hostKey}.pub`);
      makeKey(hostKey);
      fingerprint = fingerprintOfPub(`${hostKey}.pub`);
      await sshd.stop();
      // Same port: the gateway's address stays, only its key changes.
      sshd = await startSshd(p('ssh'), { ...sshdOpts, port: sshd.port });
      return fingerprint;
    },
    async writeImage(slot, version, o = {}) {
      const img = makeSimImage(version, o.size ?? SIM_IMAGE_SIZE, { healthy: o.healthy });
      writeAtStart(dev[slot], img);
      const file = p('data', 'rigger', 'slots.json');
      const current = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      current[slot] = {
        version,
        sha256: sha256(img),
        size: img.length,
        installed_at: new Date().toISOString(),
        image_id: `sim-${version}`,
      };
      writeFileSync(file, JSON.stringify(current, null, 2));
    },
    async setSafety(signals) {
      writeFileSync(p('run', 'gateway', 'safety.json'), JSON.stringify(signals));
    },
    get powerCycles() {
      return powerCycles;
    },
    powerOn,
    plugins,
    nodes,
    async stop() {
      clearInterval(watcher);
      plugins?.stop();
      await sshd.stop();
      for (const m of mounts) execFileSync('umount', ['-l', m]);
      if (!opts.dir) rmSync(root, { recursive: true, force: true });
    },
  };
  return sim;
}
