import { create } from 'zustand';
import type { RiggerErrorData } from '../../../shared/errors';
import type { History } from '../../../shared/history';
import { api, asError } from './client';

interface HistoryState {
  gateway: string | null;
  history: History | null;
  error: RiggerErrorData | null;
  load(gateway: string | null): Promise<void>;
}

/** Past updates and rollbacks with the seed's statistics, for one gateway or all. */
export const useHistory = create<HistoryState>((set) => ({
  gateway: null,
  history: null,
  error: null,
  async load(gateway) {
    set({ gateway, error: null });
    try {
      set({
        history: await api().call('history.updates', {
          limit: 100,
          ...(gateway ? { gateway } : {}),
        }),
      });
    } catch (err) {
      set({ error: asError(err) });
    }
  },
}));
