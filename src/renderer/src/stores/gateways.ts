import { create } from 'zustand';
import type { RiggerErrorData } from '../../../shared/errors';
import type { ConnectionTest, ConnectionTestInput } from '../../../shared/gateway-test';
import type { Gateway, GatewayAddInput, GatewayEditInput } from '../../../shared/gateways';
import { RiggerError } from '../../../shared/errors';
import type { ProfileSummary } from '../../../shared/profile';
import { MAX_PROFILE_BYTES, type ProfileImportInput } from '../../../shared/profile-import';
import { api, asError } from './client';
import { useStatus } from './status';

export interface GatewaysState {
  gateways: Gateway[];
  profiles: ProfileSummary[];
  /** The first load finished (with or without an error). */
  loaded: boolean;
  error: RiggerErrorData | null;
  load(): Promise<void>;
  /** Add a gateway; rejects with the core's RiggerError so the form can map it onto fields. */
  add(input: GatewayAddInput): Promise<Gateway>;
  edit(input: GatewayEditInput): Promise<Gateway>;
  remove(name: string): Promise<void>;
  /**
   * Add a profile from a file: the desktop app's dialog (by path), or a browser's file (its
   * content). Null when the dialog was cancelled; rejects with the core's error.
   */
  importProfile(from: { file: File } | 'dialog', replace?: boolean): Promise<ProfileSummary | null>;
  /** Test a connection with the form's fields; saves nothing. */
  testConnection(input: ConnectionTestInput): Promise<ConnectionTest>;
}

/** The registry as the UI sees it; reloaded whenever the core says it changed. */
export const useGateways = create<GatewaysState>((set, get) => ({
  gateways: [],
  profiles: [],
  loaded: false,
  error: null,
  async load() {
    try {
      const [gateways, profiles] = await Promise.all([
        api().call('gateways.list', {}),
        api().call('profiles.list', {}),
      ]);
      set({ gateways, profiles, loaded: true, error: null });
    } catch (err) {
      set({ error: asError(err), loaded: true });
    }
  },
  async add(input) {
    const g = await api().call('gateways.add', input);
    await get().load();
    return g;
  },
  async edit(input) {
    const g = await api().call('gateways.edit', input);
    // The core drops its session on edit; a status read under the old settings is stale.
    useStatus.getState().forget(input.name);
    await get().load();
    return g;
  },
  async importProfile(from, replace) {
    const client = api();
    let input: ProfileImportInput;
    if (from === 'dialog') {
      if (!client.openFile) throw new Error('This window has no file dialog');
      const r = await client.openFile({
        title: 'Choose a gateway profile',
        filters: [{ name: 'Gateway profile', extensions: ['json'] }],
      });
      if (!r.path) return null;
      input = { path: r.path };
    } else {
      // Bounded before reading: a browser would read any file whole.
      if (from.file.size > MAX_PROFILE_BYTES)
        throw new RiggerError(
          'VALIDATION_ERROR',
          `${from.file.name} is ${from.file.size} bytes: a profile is at most ${MAX_PROFILE_BYTES / 1024} KiB`,
        );
      input = { file_name: from.file.name, content: await from.file.text() };
    }
    const summary = await client.call('profiles.import', {
      ...input,
      ...(replace ? { replace } : {}),
    });
    await get().load();
    return summary;
  },
  testConnection: (input) => api().call('gateways.testConnection', input),
  async remove(name) {
    await api().call('gateways.remove', { name });
    useStatus.getState().forget(name);
    await get().load();
  },
}));

/** Select one gateway by name (undefined when there is none). */
export const selectGateway =
  (name: string) =>
  (s: GatewaysState): Gateway | undefined =>
    s.gateways.find((g) => g.name === name);

/** Select the gateway list. */
export const selectGatewayList = (s: GatewaysState): Gateway[] => s.gateways;

/** Select the profiles a gateway can use. */
export const selectProfiles = (s: GatewaysState): ProfileSummary[] => s.profiles;
