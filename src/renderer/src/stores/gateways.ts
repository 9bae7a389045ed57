import { create } from 'zustand';
import type { RiggerErrorData } from '../../../shared/errors';
import type { Gateway, GatewayAddInput, GatewayEditInput } from '../../../shared/gateways';
import type { ProfileSummary } from '../../../shared/profile';
import { api } from './client';
import { asError } from './errors';

interface GatewaysState {
  gateways: Gateway[];
  profiles: ProfileSummary[];
  loaded: boolean;
  error: RiggerErrorData | null;
  load(): Promise<void>;
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
    await get().load();
    return g;
  },
  async remove(name) {
    await api().call('gateways.remove', { name });
    await get().load();
  },
}));

/** Select one gateway by name. */
export const selectGateway = (name: string) => (s: GatewaysState) =>
  s.gateways.find((g) => g.name === name);
