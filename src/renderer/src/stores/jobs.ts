import { create } from 'zustand';
import type { RiggerErrorData } from '../../../shared/errors';
import type { Job, JobsList } from '../../../shared/jobs';
import { api, asError } from './client';

export type JobFilter = 'all' | 'active' | 'interrupted' | 'failed' | 'completed';

interface JobsState {
  jobs: Job[];
  summary: JobsList['summary'] | null;
  filter: JobFilter;
  /** Only this gateway's jobs; null for every gateway. */
  gateway: string | null;
  loaded: boolean;
  /** The list could not be read (cleared by the next read that works). */
  loadError: RiggerErrorData | null;
  /** The last cancel or resume was refused (cleared by the next one). */
  error: RiggerErrorData | null;
  notice: string | null;
  load(): Promise<void>;
  setFilter(f: JobFilter): Promise<void>;
  setGateway(gateway: string | null): Promise<void>;
  cancel(id: string, cleanup: boolean): Promise<void>;
  resume(id: string): Promise<void>;
  /** Keep the list live while a page shows it: the core's job events and a slow poll. */
  watch(): () => void;
}

const REFRESH_MS = 1500;

/** Jobs across gateways (updates, snapshots, rollbacks, restores, resets), with cancel and resume. */
export const useJobs = create<JobsState>((set, get) => ({
  jobs: [],
  summary: null,
  filter: 'all',
  gateway: null,
  loaded: false,
  loadError: null,
  error: null,
  notice: null,
  async load() {
    try {
      const { filter: f, gateway } = get();
      const list = await api().call('jobs.list', {
        limit: 100,
        ...(f === 'all' ? {} : { status: f }),
        ...(gateway ? { gateway } : {}),
      });
      set({ jobs: list.jobs, summary: list.summary, loaded: true, loadError: null });
    } catch (err) {
      set({ loadError: asError(err), loaded: true });
    }
  },
  async setFilter(filter) {
    set({ filter });
    await get().load();
  },
  async setGateway(gateway) {
    set({ gateway });
    await get().load();
  },
  async cancel(id, cleanup) {
    set({ error: null, notice: null });
    try {
      const r = await api().call('jobs.cancel', { job_id: id, cleanup });
      set({
        notice: `${r.message}.${r.cleanup_performed ? ' The slot being written was left unbootable and its record removed.' : ''}${r.can_restart ? ' The image can be written again.' : ''}`,
      });
    } catch (err) {
      set({ error: asError(err) });
    }
    await get().load();
  },
  watch() {
    void get().load();
    const reload = () => void get().load();
    const offs = [
      api().on('progress_update', reload),
      api().on('job_complete', reload),
      api().on('status_change', reload),
    ];
    const timer = setInterval(reload, REFRESH_MS);
    return () => {
      offs.forEach((off) => off());
      clearInterval(timer);
    };
  },
  async resume(id) {
    set({ error: null, notice: null });
    try {
      await api().call('jobs.resume', { job_id: id });
      set({ notice: `Job ${id} resumed: it continues from its last verified step.` });
    } catch (err) {
      set({ error: asError(err) });
    }
    await get().load();
  },
}));
