import { create } from 'zustand';
import type { RiggerErrorData } from '../../../shared/errors';
import type { ProgressUpdateEvent, StatusChangeEvent } from '../../../shared/events';
import { clockSeconds, seedTime } from '../../../shared/format/time';
import type { Job, JobListStatus, JobsList } from '../../../shared/jobs';
import { api, asError } from './client';
import { coalesce } from './coalesce';

/** The Jobs page's filters: every job, or one of the list's status groups. */
export type JobFilter = 'all' | Exclude<JobListStatus, 'pending'>;

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
  /** Move a listed job's bar with a progress event; false when the job is not listed. */
  applyProgress(e: ProgressUpdateEvent): boolean;
  /** Keep the list live while a page shows it: from the core's job events, no polling. */
  watch(): () => void;
}

/** Jobs across gateways (updates, snapshots, rollbacks, restores, resets), with cancel and resume. */
export const useJobs = create<JobsState>((set, get) => {
  /** One read of the list at a time; asks made meanwhile are answered by one more read. */
  const reread = coalesce(() => get().load());
  /**
   * Progress of jobs the list does not show after a read (another filter, an image import): read
   * once, then left alone until the filter changes.
   */
  const unlisted = new Set<string>();
  const listed = (id: string) => get().jobs.find((j) => j.id === id);
  /** A job not listed: read the list once (a job started elsewhere appears), then leave it. */
  const missing = async (id: string) => {
    if (unlisted.has(id)) return;
    unlisted.add(id);
    await reread();
    // Listed now: its next events update it in place.
    if (listed(id)) unlisted.delete(id);
  };
  const onProgress = async (e: ProgressUpdateEvent) => {
    if (!get().applyProgress(e)) await missing(e.job_id);
  };
  /**
   * A listed job's new step is read alone; a new status also changes the summary and may take it
   * out of the filter, so the list is read again.
   */
  const onStatus = async (e: StatusChangeEvent) => {
    const before = e.job_id ? listed(e.job_id) : undefined;
    if (!e.job_id) return reread();
    if (!before) return missing(e.job_id);
    if (before.status !== e.system_status) return reread();
    try {
      const job = await api().call('jobs.get', { job_id: e.job_id });
      set({ jobs: get().jobs.map((j) => (j.id === job.id ? job : j)) });
    } catch {
      await reread();
    }
  };
  return {
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
      unlisted.clear();
      set({ filter });
      await get().load();
    },
    async setGateway(gateway) {
      unlisted.clear();
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
    applyProgress(e) {
      const jobs = get().jobs;
      const i = jobs.findIndex((j) => j.id === e.job_id);
      if (i < 0) return false;
      const next = [...jobs];
      const eta = clockSeconds(e.eta);
      next[i] = {
        ...jobs[i]!,
        progress: e.progress,
        current_operation: e.current_operation,
        ...(eta === null ? {} : { estimated_completion: seedTime(Date.now() + eta * 1000) }),
      };
      set({ jobs: next });
      return true;
    },
    watch() {
      unlisted.clear();
      void reread();
      // A job's end changes what the core says of it (resumable, error) and the summary.
      const reload = () => void reread();
      const offs = [
        api().on('progress_update', (e) => void onProgress(e)),
        api().on('job_complete', reload),
        api().on('status_change', (e) => void onStatus(e)),
        api().onResync(reload),
      ];
      return () => offs.forEach((off) => off());
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
  };
});
