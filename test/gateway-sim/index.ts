import { execFile, execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { offerTools, writeBootEnv } from './boot-env';
import { makeSimImage } from './image';
import { layOutDisk, slotRecord, writeAtStart } from './layout';
import { setupNodes } from './nodes';
import { setupPlugins } from './plugins';
import { simProfile } from './sim-profile';
import { fingerprintOfPub, makeKey, startSshd, type Sshd } from './sshd';
import { SIM_IMAGE_SIZE, type GatewaySim, type SimOptions, type Slot } from './types';

export { makeSimImage } from './image';
export {
  CONTRACT_TOOLS,
  SAFE_SIGNALS,
  type GatewaySim,
  type SchemeName,
  type SimOptions,
} from './types';

const run = promisify(execFile);

/** Start a test gateway: a real sshd on 127.0.0.1 in front of a root folder that plays the gateway. */
export async function startGatewaySim(opts: SimOptions = {}): Promise<GatewaySim> {
  const scheme = opts.scheme ?? 'bootcount';
  const booted: Slot = opts.booted ?? 'A';
  const attempts = opts.attempts ?? 3;
  const slotSize = opts.slotSize ?? 64 * 1024 * 1024;
  const root = opts.dir ?? mkdtempSync(join(tmpdir(), 'rigger-gw-'));
  const p = (...parts: string[]) => join(root, ...parts);
  const { dev, mounts } = layOutDisk(p, opts, slotSize);
  const { cfg } = writeBootEnv(p, root, opts, dev);
  const staleKernel = () =>
    opts.staleKernelSeconds &&
    writeFileSync(p('run', 'stale-kernel-seconds'), `${opts.staleKernelSeconds}\n`);
  const busybox = opts.busybox || opts.contractToolsOnly;
  if (busybox) offerTools(p, opts);

  const plugins = opts.plugins && setupPlugins(root, opts.plugins, !!opts.contractToolsOnly);
  const nodes = opts.nodes && setupNodes(root, opts.nodes);
  const profile = simProfile(p, opts, {
    dev,
    cfg,
    slotSize,
    extra: {
      ...(plugins && { plugins: plugins.profile }),
      ...(nodes && { nodes: nodes.profile }),
    },
  });
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
      current[slot] = slotRecord(version, img, new Date().toISOString());
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
