import { createRequire } from 'node:module';
import { RiggerError } from '../../../shared/errors';

const requireNative = createRequire(import.meta.url);
const cache = new Map<string, unknown>();

/**
 * Load a native module (better-sqlite3, serialport, usb) lazily, in one place. A missing or
 * unbuilt module becomes a clear error for the feature that needs it, not a crash at start.
 */
export function loadNative<T>(name: string, feature: string): T {
  if (cache.has(name)) return cache.get(name) as T;
  try {
    const mod = requireNative(name) as T;
    cache.set(name, mod);
    return mod;
  } catch (err) {
    throw new RiggerError(
      'INTERNAL',
      `${feature} is unavailable: the native module "${name}" could not be loaded (${(err as Error).message}).`,
      { module: name },
      ['Reinstall Rigger', 'Run `npm rebuild ' + name + '`'],
    );
  }
}
