import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

/** The test gateway's plugin folder (GATEWAY-CONTRACT.md section 6). */
export interface PluginSimOptions {
  /** The plugin folder lives on a tmpfs of this many bytes (a full plugin partition). */
  capacity?: number;
  /** The profile's `min_free_bytes` (default 64 KiB). */
  minFreeBytes?: number;
}

export interface PluginSim {
  /** The profile's `plugins` section. */
  profile: { dir: string; config_dir: string; restart_command: string; min_free_bytes: number };
  /** Make `restart_command NAME` fail while NAME's active version is `version` (or any version). */
  failRestart(name: string, version?: string): void;
  /** Every restart the gateway ran, oldest first: `NAME VERSION ok|failed`. */
  restarts(): string[];
  stop(): void;
}

/**
 * Set up the plugin folder, the config folder and a `gateway-plugins restart NAME` that prints
 * what a service manager prints and fails on request. `contractTools`: the session's PATH offers
 * only the contract's tools; section 6 adds `ln` for a gateway with plugins.
 */
export function setupPlugins(
  root: string,
  opts: PluginSimOptions,
  contractTools: boolean,
): PluginSim {
  const dir = join(root, 'opt', 'gateway', 'plugins');
  const configDir = join(root, 'etc', 'gateway', 'ota');
  const fails = join(root, 'run', 'plugin-restart-fails');
  const log = join(root, 'run', 'plugin-restarts.log');
  mkdirSync(dir, { recursive: true });
  mkdirSync(configDir, { recursive: true });
  const mounted = opts.capacity !== undefined;
  if (mounted) execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${opts.capacity}`, 'tmpfs', dir]);
  writeFileSync(fails, '');
  writeFileSync(log, '');
  if (contractTools && !existsSync(join(root, 'bin', 'ln')))
    symlinkSync('/bin/busybox', join(root, 'bin', 'ln'));
  const simPath = existsSync(join(root, 'bin-sim')) ? `PATH='${join(root, 'bin-sim')}'\n` : '';
  const script = join(root, 'sbin', 'gateway-plugins');
  writeFileSync(
    script,
    `#!/bin/sh
${simPath}DIR='${dir}'
[ "$1" = restart ] && [ -n "$2" ] || { echo "usage: gateway-plugins restart NAME" >&2; exit 2; }
name="$2"
cur="$DIR/$name/current"
[ -d "$cur" ] || { echo "$name: no active version" >&2; exit 3; }
ver=$(readlink "$cur")
echo "Stopping plugin $name"
sleep 0.1
echo "Starting plugin $name $ver"
if grep -qx -e "$name" -e "$name $ver" '${fails}'; then
  echo "$name $ver failed" >> '${log}'
  echo "$name[$$]: fatal: cannot load $cur/plugin.json rules (exit status 1)" >&2
  echo "Job for plugin $name failed" >&2
  exit 1
fi
echo "$name $ver ok" >> '${log}'
echo "Plugin $name $ver is running"
`,
  );
  chmodSync(script, 0o755);
  return {
    profile: {
      dir,
      config_dir: configDir,
      restart_command: `${script} restart`,
      min_free_bytes: opts.minFreeBytes ?? 64 * 1024,
    },
    failRestart(name, version) {
      writeFileSync(fails, `${name}${version ? ` ${version}` : ''}\n`, { flag: 'a' });
    },
    restarts: () => readFileSync(log, 'utf8').split('\n').filter(Boolean),
    stop() {
      if (mounted) execFileSync('umount', ['-l', dir]);
    },
  };
}
