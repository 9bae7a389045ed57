import { create } from 'zustand';
import type { RiggerErrorData } from '../../../shared/errors';
import type { GatewayStatus } from '../../../shared/status';
import { api, asError } from './client';

/** One gateway's live status as read this session. */
export interface StatusEntry {
  /** The last good answer; kept while a refresh runs or after it fails. */
  status: GatewayStatus | null;
  loading: boolean;
  /** Why the last read (or trust) failed; null after a good read. */
  error: RiggerErrorData | null;
}

export interface StatusState {
  byName: Record<string, StatusEntry>;
  /** Read the gateway's status; concurrent calls for one gateway share one read. */
  refresh(name: string): Promise<void>;
  /** Pin the host key the technician confirmed, then read the status again. */
  trustKey(name: string, fingerprint: string): Promise<void>;
  /** Drop what is known of a gateway (removed, renamed or edited). */
  forget(name: string): void;
}

export const EMPTY_STATUS: StatusEntry = { status: null, loading: false, error: null };

/** Live gateway status, read on demand. */
export const useStatus = create<StatusState>((set, get) => {
  const inFlight = new Map<string, Promise<void>>();
  const patch = (name: string, p: Partial<StatusEntry>) =>
    set((s) => ({
      byName: { ...s.byName, [name]: { ...(s.byName[name] ?? EMPTY_STATUS), ...p } },
    }));

  return {
    byName: {},
    refresh(name) {
      const running = inFlight.get(name);
      if (running) return running;
      patch(name, { loading: true, error: null });
      const read = api()
        .call('gateways.status', { name })
        .then(
          (status) => patch(name, { status, loading: false, error: null }),
          (err: unknown) => patch(name, { loading: false, error: asError(err) }),
        )
        .finally(() => inFlight.delete(name));
      inFlight.set(name, read);
      return read;
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
    forget(name) {
      set((s) => {
        const { [name]: _gone, ...rest } = s.byName;
        return { byName: rest };
      });
    },
  };
});

/** Select one gateway's status entry (a shared empty entry when never read). */
export const selectStatus =
  (name: string) =>
  (s: StatusState): StatusEntry =>
    s.byName[name] ?? EMPTY_STATUS;

/** Select every status read this session, by gateway name. */
export const selectAllStatus = (s: StatusState): Record<string, StatusEntry> => s.byName;
