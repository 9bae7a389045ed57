import { create } from 'zustand';
import type { AppInfo } from '../../../shared/api';
import type { Theme } from '../../../shared/settings';

export type { Theme };

export interface UiState {
  theme: Theme;
  /** What the app says of itself (version, mode); null until read or when it cannot be. */
  appInfo: AppInfo | null;
  /** Gateways whose first-host-key question the technician put aside (until the next Refresh). */
  keyPromptDismissed: Record<string, true>;
  setTheme(theme: Theme): void;
  setAppInfo(info: AppInfo | null): void;
  dismissKeyPrompt(name: string): void;
  showKeyPrompt(name: string): void;
}

/** What belongs to this window only: theme in effect, app facts, prompts put aside. */
export const useUi = create<UiState>((set) => ({
  theme: 'light',
  appInfo: null,
  keyPromptDismissed: {},
  setTheme: (theme) => set({ theme }),
  setAppInfo: (appInfo) => set({ appInfo }),
  dismissKeyPrompt: (name) =>
    set((s) => ({ keyPromptDismissed: { ...s.keyPromptDismissed, [name]: true } })),
  showKeyPrompt: (name) =>
    set((s) => {
      if (!s.keyPromptDismissed[name]) return s;
      const { [name]: _shown, ...rest } = s.keyPromptDismissed;
      return { keyPromptDismissed: rest };
    }),
}));

/** Select the theme in effect. */
export const selectTheme = (s: UiState): Theme => s.theme;

/** Select whether the first-host-key question for a gateway was put aside. */
export const selectKeyPromptDismissed =
  (name: string) =>
  (s: UiState): boolean =>
    !!s.keyPromptDismissed[name];
