import { create } from 'zustand';
import type { RiggerErrorData } from '../../../shared/errors';
import type { HawkbitStatus } from '../../../shared/hawkbit-api';
import { api, asError } from './client';
import { useUpdates } from './updates';

interface HawkbitGatewayState {
  /** `hawkbit.status` of each gateway as last read (null: no hawkBit server set up). */
  byName: Record<string, HawkbitStatus | null>;
  error: RiggerErrorData | null;
  load(gateway: string): Promise<HawkbitStatus | null>;
  /**
   * Open the ordinary update's check for the action's image (safety, window, PIN override as
   * for any image); the install that follows is tied to the action by its image.
   */
  install(gateway: string, actionId: string): Promise<boolean>;
}

/** What hawkBit wants on one gateway, offered at the crane from the journal (no network). */
export const useHawkbitGateway = create<HawkbitGatewayState>((set) => ({
  byName: {},
  error: null,
  async load(gateway) {
    try {
      const s = await api().call('hawkbit.status', { gateway });
      const shown = s.config.url || s.assignments.length ? s : null;
      set((st) => ({ byName: { ...st.byName, [gateway]: shown }, error: null }));
      return shown;
    } catch (err) {
      set({ error: asError(err) });
      return null;
    }
  },
  async install(gateway, actionId) {
    set({ error: null });
    try {
      const { offer } = await api().call('hawkbit.offer', { gateway, action_id: actionId });
      const updates = useUpdates.getState();
      if (updates.gateway !== gateway) await updates.checkFor(gateway);
      await useUpdates.getState().prepare(offer);
      return useUpdates.getState().preflight !== null;
    } catch (err) {
      set({ error: asError(err) });
      return false;
    }
  },
}));
