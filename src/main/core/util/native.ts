import { createRequire } from 'node:module';
import type * as SerialPortModule from 'serialport';
import type * as UsbModule from 'usb';
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

/** The `serialport` package: consoles over USB adapters, COM ports and ptys. */
export const loadSerialPort = () =>
  loadNative<typeof SerialPortModule>('serialport', 'The serial console');

/** The `usb` package: adapter plug and unplug events. */
export const loadUsb = () => loadNative<typeof UsbModule>('usb', 'USB hotplug detection');
