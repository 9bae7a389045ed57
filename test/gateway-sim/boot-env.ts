import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { At } from './layout';
import { CONTRACT_TOOLS, defaultVars, type SchemeName, type SimOptions, type Slot } from './types';

export const PART: Record<Slot, number> = { A: 2, B: 3 };

/**
 * A real U-Boot environment image for the scheme (edited only by the real tools), the sim's
 * config for its U-Boot script, and that script as the gateway's `reboot`. Returns the
 * fw_env.config path and the scheme's variable names.
 */
export function writeBootEnv(
  p: At,
  root: string,
  opts: SimOptions,
  dev: Record<Slot, string>,
): { cfg: string; vars: ReturnType<typeof defaultVars> } {
  const scheme: SchemeName = opts.scheme ?? 'bootcount';
  const booted: Slot = opts.booted ?? 'A';
  const other: Slot = booted === 'A' ? 'B' : 'A';
  const attempts = opts.attempts ?? 3;
  const vars = { ...defaultVars(scheme), ...opts.vars };
  const envVars: Record<string, string> =
    scheme === 'rauc'
      ? {
          BOOT_ORDER: `${booted} ${other}`,
          BOOT_A_LEFT: String(attempts),
          BOOT_B_LEFT: String(attempts),
        }
      : {
          ...(scheme === 'mender'
            ? { [vars.slot]: String(PART[booted]), mender_boot_part_hex: PART[booted].toString(16) }
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
      `PART_A=${PART.A}`,
      `PART_B=${PART.B}`,
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
  const script = readFileSync(join(__dirname, 'uboot.sh'), 'utf8').replace(
    '#!/bin/sh\n',
    `#!/bin/sh\nROOT='${root}'\n`,
  );
  writeFileSync(p('sbin', 'reboot'), script);
  chmodSync(p('sbin', 'reboot'), 0o755);
  return { cfg, vars };
}

/**
 * What commands over SSH find in PATH with `busybox` or `contractToolsOnly`: BusyBox applets
 * (or only the contract's tools, with dash as the shell), the real fw_printenv/fw_setenv, and
 * the sim's `reboot`.
 */
export function offerTools(p: At, opts: SimOptions): void {
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
