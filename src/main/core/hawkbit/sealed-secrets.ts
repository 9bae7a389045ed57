import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SecretStore } from '../secrets';

export type HawkbitSecretName = 'gateway_token' | 'management_password';

/**
 * The hawkBit secrets as the keychain sealed them, in a file of the data folder (never in the
 * database, never in clear): only the SecretStore that sealed them can open them.
 */
export function createSealedSecrets(file: string, store: SecretStore) {
  const read = (): Partial<Record<HawkbitSecretName, string>> => {
    if (!existsSync(file)) return {};
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as Partial<Record<HawkbitSecretName, string>>;
    } catch {
      return {};
    }
  };
  return {
    /** Seal each given secret (refused, changing nothing, where there is no keychain). */
    put(values: Partial<Record<HawkbitSecretName, string>>): void {
      const next = { ...read() };
      for (const [k, v] of Object.entries(values))
        if (v) next[k as HawkbitSecretName] = store.seal(v);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(`${file}.tmp`, JSON.stringify(next), { mode: 0o600 });
      chmodSync(`${file}.tmp`, 0o600);
      renameSync(`${file}.tmp`, file);
    },
    /** The secret in clear, or null when none is sealed or the keychain cannot open it. */
    get(name: HawkbitSecretName): string | null {
      const sealed = read()[name];
      if (!sealed) return null;
      try {
        return store.open(sealed);
      } catch {
        return null;
      }
    },
  };
}
