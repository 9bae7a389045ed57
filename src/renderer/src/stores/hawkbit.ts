import { create } from 'zustand';
import type { RiggerErrorData } from '../../../shared/errors';
import type { HawkbitConfigInput, HawkbitStatus, HawkbitSync } from '../../../shared/hawkbit-api';
import { api, asError } from './client';

interface HawkbitState {
  status: HawkbitStatus | null;
  lastSync: HawkbitSync | null;
  syncing: boolean;
  error: RiggerErrorData | null;
  setupError: RiggerErrorData | null;
  load(): Promise<void>;
  sync(): Promise<void>;
  /** Save the connection; false (with `setupError`) when it was refused. */
  configure(input: HawkbitConfigInput): Promise<boolean>;
}

/** The hawkBit courier as the Fleet page shows it: what hawkBit wants, and a sync. */
export const useHawkbit = create<HawkbitState>((set, get) => ({
  status: null,
  lastSync: null,
  syncing: false,
  error: null,
  setupError: null,
  async load() {
    try {
      set({ status: await api().call('hawkbit.status', {}), error: null });
    } catch (err) {
      set({ error: asError(err) });
    }
  },
  async sync() {
    set({ syncing: true, error: null });
    try {
      set({ lastSync: await api().call('hawkbit.sync', { force: true }) });
    } catch (err) {
      set({ error: asError(err) });
    } finally {
      set({ syncing: false });
      await get().load();
    }
  },
  async configure(input) {
    set({ setupError: null });
    try {
      await api().call('hawkbit.config', input);
      await get().load();
      return true;
    } catch (err) {
      set({ setupError: asError(err) });
      return false;
    }
  },
}));
