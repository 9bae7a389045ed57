import { create } from 'zustand';
import type { RiggerErrorData } from '../../../shared/errors';
import type { Settings, SettingsUpdateResult } from '../../../shared/settings';
import { api, asError } from './client';
import { useUi, type Theme } from './ui';

export interface SettingsState {
  settings: Settings | null;
  loading: boolean;
  saving: boolean;
  error: RiggerErrorData | null;
  /** The last update asked for a restart. */
  restartRequired: boolean;
  load(): Promise<void>;
  /** Apply a theme and save it as `rigger.theme`; put back the old one if saving fails. */
  setTheme(theme: Theme): Promise<void>;
  /** Save part of the document; the core validates it and answers with what changed. */
  update(patch: Record<string, unknown>): Promise<SettingsUpdateResult>;
  /** Set (or replace) the PIN that guards overrides and factory resets. */
  setPin(pin: string, current?: string): Promise<void>;
}

/** The settings document, read from and saved through the core. */
export const useSettings = create<SettingsState>((set, get) => ({
  settings: null,
  loading: false,
  saving: false,
  error: null,
  restartRequired: false,
  async load() {
    set({ loading: true, error: null });
    try {
      const settings = await api().call('settings.get', {});
      set({ settings, loading: false });
      useUi.getState().setTheme(settings.rigger.theme);
    } catch (err) {
      set({ loading: false, error: asError(err) });
    }
  },
  async setTheme(theme) {
    // Applied at once so the choice is seen; put back if it cannot be saved.
    const before = useUi.getState().theme;
    useUi.getState().setTheme(theme);
    set({ saving: true, error: null });
    try {
      const result = await api().call('settings.update', { rigger: { theme } });
      const current = get().settings;
      set({
        saving: false,
        restartRequired: result.restart_required,
        settings: current ? { ...current, rigger: { ...current.rigger, theme } } : current,
      });
    } catch (err) {
      useUi.getState().setTheme(before);
      set({ saving: false, error: asError(err) });
    }
  },
  async update(patch) {
    const result = await api().call('settings.update', patch);
    set({
      settings: await api().call('settings.get', {}),
      restartRequired: result.restart_required,
    });
    return result;
  },
  async setPin(pin, current) {
    await api().call('safety.setPin', { pin, ...(current ? { current_pin: current } : {}) });
  },
}));

/** Select the settings document (null until read). */
export const selectSettings = (s: SettingsState): Settings | null => s.settings;
