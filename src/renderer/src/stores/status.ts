import { create } from 'zustand';
import type { RiggerErrorData } from '../../../shared/errors';
import type { GatewayStatus } from '../../../shared/status';
import { api } from './client';
import { asError } from './errors';

export interface StatusEntry {
  status: GatewayStatus | null;
  loading: boolean;
  error: RiggerErrorData | null;
}

interface StatusState {
  byName: Record<string, StatusEntry>;
  refresh(name: string): Promise<void>;
  /** Trust the fingerprint the technician confirmed, then read the status again. */
  trustKey(name: string, fingerprint: string): Promise<void>;
}

const EMPTY: StatusEntry = { status: null, loading: false, error: null };

/** Live gateway status, read on demand; the last good answer stays while a refresh runs. */
export const useStatus = create<StatusState>((set, get) => {
  const patch = (name: string, p: Partial<StatusEntry>) =>
    set((s) => ({ byName: { ...s.byName, [name]: { ...(s.byName[name] ?? EMPTY), ...p } } }));
  return {
    byName: {},
    async refresh(name) {
      patch(name, { loading: true, error: null });
      try {
        patch(name, { status: await api().call('gateways.status', { name }), loading: false });
      } catch (err) {
        patch(name, { loading: false, error: asError(err) });
      }
    },
    async trustKey(name, fingerprint) {
      patch(name, { loading: true, error: null });
      try {
        await api().call('gateways.pinHostKey', { name, fingerprint });
      } catch (err) {
        patch(name, { loading: false, error: asError(err) });
        return;
      }
      await get().refresh(name);
    },
  };
});

/** Select one gateway's status entry. */
export const selectStatus = (name: string) => (s: StatusState) => s.byName[name] ?? EMPTY;
