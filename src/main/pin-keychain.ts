import { spawnSync } from 'node:child_process';
import { RiggerError } from '../shared/errors';
import type { PinVault } from './core/safety/pin';

type Run = (cmd: string, args: string[], input?: string) => { code: number | null; out: string };

const run: Run = (cmd, args, input) => {
  const r = spawnSync(cmd, args, { input, encoding: 'utf8', timeout: 10000 });
  return { code: r.error ? null : r.status, out: r.stdout ?? '' };
};

/**
 * The override PIN's verifier in the OS keychain (libsecret's secret-tool on Linux, the login
 * keychain on macOS), keyed by data folder, so editing the data folder cannot replace the PIN.
 * Null where no keychain tool answers: the data folder then holds it, with an audited reset.
 */
export function keychainPinVault(
  dataDir: string,
  platform: NodeJS.Platform = process.platform,
  exec: Run = run,
): PinVault | null {
  const account = `override-pin:${dataDir}`;
  const tools = {
    linux: {
      read: () => exec('secret-tool', ['lookup', 'service', 'rigger', 'account', account]),
      write: (v: string) =>
        exec(
          'secret-tool',
          ['store', '--label=Rigger override PIN', 'service', 'rigger', 'account', account],
          v,
        ),
      clear: () => exec('secret-tool', ['clear', 'service', 'rigger', 'account', account]),
    },
    darwin: {
      read: () => exec('security', ['find-generic-password', '-s', 'rigger', '-a', account, '-w']),
      write: (v: string) =>
        exec('security', ['add-generic-password', '-U', '-s', 'rigger', '-a', account, '-w', v]),
      clear: () => exec('security', ['delete-generic-password', '-s', 'rigger', '-a', account]),
    },
  }[platform as 'linux' | 'darwin'];
  if (!tools) return null;
  // Found (0) or not found (1, or 44 on macOS) both mean the keychain answers; else none is there.
  const probe = tools.read();
  if (probe.code === null || ![0, 1, 44].includes(probe.code)) return null;
  return {
    kind: 'keychain',
    read() {
      const r = tools.read();
      return r.code === 0 && r.out.trim() ? r.out.trim() : null;
    },
    write(v) {
      const r = v === null ? tools.clear() : tools.write(v);
      if (r.code !== 0 && v !== null) {
        throw new RiggerError(
          'SECRET_UNAVAILABLE',
          "The PIN cannot be kept in this computer's keychain",
          {},
          ['Unlock the desktop keyring, then try again'],
        );
      }
    },
  };
}
