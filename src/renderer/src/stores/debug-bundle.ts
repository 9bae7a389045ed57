import { create } from 'zustand';
import type { RiggerErrorData } from '../../../shared/errors';
import type { DebugAnswer } from '../../../shared/monitor';
import { api, asError } from './client';

interface DebugBundleState {
  /** The gateway the bundle, the error or the capture in progress belongs to. */
  gateway: string | null;
  busy: boolean;
  bundle: DebugAnswer | null;
  error: RiggerErrorData | null;
  /** Capture a debug bundle of this gateway (logs, configuration without secrets, state). */
  capture(gateway: string): Promise<void>;
  /** Forget the last result (a gateway page opened afresh). */
  reset(): void;
}

/** The debug bundle captured from a gateway's page. */
export const useDebugBundle = create<DebugBundleState>((set, get) => ({
  gateway: null,
  busy: false,
  bundle: null,
  error: null,
  async capture(gateway) {
    if (get().busy) return;
    set({ gateway, busy: true, error: null, bundle: null });
    try {
      const bundle = await api().call('monitor.debug', { gateway });
      if (get().gateway === gateway) set({ bundle });
    } catch (err) {
      if (get().gateway === gateway) set({ error: asError(err) });
    } finally {
      set({ busy: false });
    }
  },
  reset() {
    if (!get().busy) set({ gateway: null, bundle: null, error: null });
  },
}));
