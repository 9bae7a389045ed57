import { create } from 'zustand';
import type { RiggerErrorData } from '../../../shared/errors';
import type { ProgressUpdateEvent } from '../../../shared/events';
import { STOPPED_STATUSES, type Job } from '../../../shared/jobs';
import type { RecoveryStatus } from '../../../shared/recovery';
import { api, asError } from './client';
import { coalesce } from './coalesce';

/** A recovery job being followed: what it is, its live progress, and how it ended. */
export interface FollowedJob {
  id: string;
  label: string;
  progress: ProgressUpdateEvent | null;
  job: Job | null;
}

interface RecoveryState {
  gateway: string | null;
  status: RecoveryStatus | null;
  loading: boolean;
  error: RiggerErrorData | null;
  running: FollowedJob | null;
  /** The last job's end, kept for the result panel. */
  ended: FollowedJob | null;
  load(gateway: string, checksum?: boolean): Promise<void>;
  rollback(reason: string): Promise<void>;
  snapshot(name: string, description: string, includeLogs: boolean): Promise<void>;
  restore(snapshotId: string): Promise<void>;
  factoryReset(input: { pin: string; reason: string; backup: boolean }): Promise<void>;
  removeSnapshot(id: string): Promise<void>;
  clearEnded(): void;
}

/** Rollback, snapshots, restore and factory reset for one gateway, each followed to its end. */
export const useRecovery = create<RecoveryState>((set, get) => {
  /**
   * Follow a job by its events: progress moves the bar in place; a change of status or step, the
   * end, or a reconnected event stream reads the job once. Resolves once the job has ended.
   */
  const follow = async (id: string, label: string) => {
    set({ running: { id, label, progress: null, job: null }, ended: null, error: null });
    let over!: () => void;
    const ended = new Promise<void>((resolve) => (over = resolve));
    const read = coalesce(async () => {
      if (get().running?.id !== id) return over();
      try {
        const job = await api().call('jobs.get', { job_id: id });
        const r = get().running;
        if (r?.id === id) set({ running: { ...r, job } });
        if (STOPPED_STATUSES.includes(job.status)) {
          // The gateway's state is read again before the job's card goes: the page never offers
          // what the job just did (a rollback to the slot it now runs) from the old state.
          const g = get().gateway;
          if (g) await get().load(g);
          set({
            ended: { ...(get().running ?? { id, label, progress: null }), job },
            running: null,
          });
          over();
        }
      } catch (err) {
        // Kept on: the next event or reconnect reads it again.
        set({ error: asError(err) });
      }
    });
    const check = () => void read();
    const offs = [
      api().on('progress_update', (e) => {
        const r = get().running;
        if (r && e.job_id === id) set({ running: { ...r, progress: e } });
      }),
      api().on('status_change', (e) => {
        if (e.job_id === id || (!e.job_id && e.gateway === get().gateway)) check();
      }),
      api().on('job_complete', (e) => {
        if (e.job_id === id) check();
      }),
      api().onResync(check),
    ];
    check();
    await ended;
    offs.forEach((off) => off());
  };
  /** Start something that answers with a job id; a refusal is shown, not thrown. */
  const start = async (label: string, begin: () => Promise<string>) => {
    set({ error: null });
    let id: string;
    try {
      id = await begin();
    } catch (err) {
      set({ error: asError(err) });
      return;
    }
    await follow(id, label);
  };
  const gw = () => {
    const g = get().gateway;
    if (!g) throw new Error('no gateway chosen');
    return g;
  };
  return {
    gateway: null,
    status: null,
    loading: false,
    error: null,
    running: null,
    ended: null,
    async load(gateway, checksum = false) {
      if (get().gateway !== gateway) set({ gateway, status: null, ended: null, error: null });
      set({ loading: true });
      try {
        set({ status: await api().call('recovery.status', { gateway, checksum }) });
      } catch (err) {
        set({ error: asError(err) });
      } finally {
        set({ loading: false });
      }
    },
    rollback: (reason) =>
      start('Rolling back', async () => {
        const r = await api().call('recovery.rollback', { gateway: gw(), reason });
        return r.rollback_id;
      }),
    snapshot: (name, description, includeLogs) =>
      start('Taking a snapshot', async () => {
        const r = await api().call('monitor.snapshot', {
          gateway: gw(),
          name,
          description,
          include_logs: includeLogs,
        });
        return r.job_id;
      }),
    restore: (snapshotId) =>
      start('Restoring', async () => {
        const r = await api().call('recovery.restore', { gateway: gw(), snapshot_id: snapshotId });
        return r.restore_id;
      }),
    factoryReset: ({ pin, reason, backup }) =>
      start('Factory reset', async () => {
        const r = await api().call('recovery.factory', {
          gateway: gw(),
          pin,
          reason,
          confirm: true,
          backup_config: backup,
        });
        return r.reset_id;
      }),
    async removeSnapshot(id) {
      try {
        await api().call('snapshots.remove', { snapshot_id: id });
        await get().load(gw());
      } catch (err) {
        set({ error: asError(err) });
      }
    },
    clearEnded: () => set({ ended: null }),
  };
});
