import { describe, expect, it } from 'vitest';
import { keychainPinVault } from '../../../src/main/pin-keychain';

/**
 * Stand-in for the keychain tools (no keyring runs on the test machine): a map behind the
 * same command lines secret-tool and security take.
 */
function standIn(present = true) {
  const held = new Map<string, string>();
  const calls: string[][] = [];
  const exec = (cmd: string, args: string[], input?: string) => {
    calls.push([cmd, ...args]);
    if (!present) return { code: null, out: '' };
    const at = args.includes('account') ? args.indexOf('account') : args.indexOf('-a');
    const account = args[at + 1]!;
    const op = args[0]!;
    if (op === 'lookup' || op === 'find-generic-password')
      return held.has(account) ? { code: 0, out: `${held.get(account)}\n` } : { code: 1, out: '' };
    if (op === 'store') held.set(account, input ?? '');
    if (op === 'add-generic-password') held.set(account, args[args.indexOf('-w') + 1]!);
    if (op === 'clear' || op === 'delete-generic-password') held.delete(account);
    return { code: 0, out: '' };
  };
  return { exec, calls, held };
}

describe('the PIN verifier in the OS keychain', () => {
  it('is none where no keychain tool answers (this machine has none) or on Windows', () => {
    expect(keychainPinVault('/data', 'linux')).toBeNull();
    expect(keychainPinVault('/data', 'win32', standIn().exec)).toBeNull();
    expect(keychainPinVault('/data', 'linux', standIn(false).exec)).toBeNull();
  });

  it.each(['linux', 'darwin'] as const)('keeps one verifier per data folder (%s)', (platform) => {
    const k = standIn();
    const a = keychainPinVault('/data/a', platform, k.exec)!;
    const b = keychainPinVault('/data/b', platform, k.exec)!;
    expect(a.read()).toBeNull();
    a.write('salt$hash');
    expect(a.read()).toBe('salt$hash');
    expect(b.read()).toBeNull();
    // The verifier reaches secret-tool on stdin, never in its arguments.
    if (platform === 'linux') expect(k.calls.flat().join(' ')).not.toContain('salt$hash');
    a.write(null);
    expect(a.read()).toBeNull();
  });
});
