import { create } from 'zustand';
import type { RiggerErrorData } from '../../../shared/errors';
import type { Gateway, GatewayAddInput, GatewayEditInput } from '../../../shared/gateways';
import type { ProfileSummary } from '../../../shared/profile';
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
