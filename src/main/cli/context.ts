import { homedir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core, type CoreOptions } from '../core/core';
import { memorySecretStore } from '../core/secrets';

/** The folder the desktop app keeps its data in (Electron's userData for "Rigger"). */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform = process.platform,
): string {
  if (env.RIGGER_DATA_DIR) return env.RIGGER_DATA_DIR;
  if (platform === 'win32')
    return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Rigger');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Rigger');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Rigger');
}

export interface GlobalOptions {
  dataDir?: string;
  json?: boolean;
}

/** Run a command with an open core; errors become the exit code. */
export type WithCore = <T>(fn: (core: Core, g: GlobalOptions) => Promise<T>) => Promise<void>;

/** Open the core for one CLI command; `serve` keeps typed passwords in memory for its lifetime. */
export function openCore(
  opts: GlobalOptions,
  mode: CoreOptions['mode'] = 'cli',
  extra: Pick<CoreOptions, 'mqttUrl' | 'runRollouts'> = {},
): Core {
  return createCore({
    ...extra,
    dataDir: opts.dataDir ?? defaultDataDir(),
    mode,
    secrets: mode === 'browser' ? memorySecretStore() : undefined,
    version: process.env.npm_package_version,
    // `rigger serve` is the app in a browser: it tells about adapters plugged in too.
    watchSerial: mode === 'browser',
  });
}
