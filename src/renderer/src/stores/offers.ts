import { create } from 'zustand';
import type { UpdatesCheck } from '../../../shared/images';
import { api } from './client';

type Offer = UpdatesCheck['updates'][number];

interface OffersState {
  /** The library's images that fit each gateway, newest first, as last read. */
  byName: Record<string, Offer[]>;
  /** Read what the library offers this gateway; a failed read leaves nothing offered. */
  load(name: string): Promise<void>;
}

/** What the library offers each gateway: the overview's "what to do next". */
export const useOffers = create<OffersState>((set) => ({
  byName: {},
  async load(name) {
    let offers: Offer[] = [];
    try {
      offers = (await api().call('updates.check', { gateway: name })).updates;
    } catch {
      // The overview says what is wrong with the gateway itself; no offer is no advice.
    }
    set((s) => ({ byName: { ...s.byName, [name]: offers } }));
  },
}));
