import { create } from 'zustand';

const KEY = 'rigger.lastGateway';

/** localStorage, when this window has one that works (a locked-down browser may refuse it). */
const storage = (): Storage | null => {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
};

interface LastGatewayState {
  /** The gateway the technician last opened, connected to or updated; kept across reloads. */
  name: string | null;
  use(name: string): void;
}

/** The gateway last used, so a page without one in its address opens on it. */
export const useLastGateway = create<LastGatewayState>((set) => ({
  name: storage()?.getItem(KEY) ?? null,
  use(name) {
    try {
      storage()?.setItem(KEY, name);
    } catch {
      // Not kept across a reload then; this window still remembers it.
    }
    set({ name });
  },
}));

/**
 * The gateway a page opens on when its address names none: the last one used, else one this
 * window is connected to, else the first; never one that no longer exists.
 */
export function defaultGateway(
  names: readonly string[],
  last: string | null,
  connected: readonly string[],
): string | undefined {
  if (last && names.includes(last)) return last;
  return names.find((n) => connected.includes(n)) ?? names[0];
}
