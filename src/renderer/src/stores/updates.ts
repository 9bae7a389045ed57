import { create } from 'zustand';
import type { RiggerErrorData } from '../../../shared/errors';
import type { UpdatesCheck } from '../../../shared/images';
import { ACTIVE_STATUSES, type Job, type JobOutcome } from '../../../shared/jobs';
import { windowState, type WindowState } from '../../../shared/maintenance';
import type { UpdateProgress } from '../../../shared/ota';
import type { SafetyStatus } from '../../../shared/safety';
import type { GatewayStatus } from '../../../shared/status';
import { api, asError } from './client';

export type Offer = UpdatesCheck['updates'][number];

/** What the technician checks before going: the gateway, its signals, the window. */
export interface Preflight {
  offer: Offer;
  status: GatewayStatus;
  safety: SafetyStatus;
  window: WindowState;
}

export interface InstallOptions {
  rebootDelay: number;
  snapshot: boolean;
  outsideWindow: boolean;
}

/** What "Install now" uses for a written image found again (after a reload, a resume). */
export const DEFAULT_INSTALL: InstallOptions = {
  rebootDelay: 10,
  snapshot: false,
  outsideWindow: false,
};

/** The update running now, followed live. */
export interface Running {
  /** This view of the job: a job found again after a reload is a new run of the same job. */
  runId: number;
  jobId: string;
  gateway: string;
  version: string;
  progress: UpdateProgress | null;
  countdown: number | null;
  /** The last safety alert while the job waits on a signal. */
  alert: string | null;
  /** The image is written and verified; the install waits for the technician's go. */
  awaitingInstall: boolean;
  /** The job's final state; null while it runs. */
  outcome: JobOutcome | null;
  message: string | null;
}

interface UpdatesState {
  gateway: string | null;
  check: UpdatesCheck | null;
  checking: boolean;
  preflight: Preflight | null;
  running: Running | null;
  /** An update of this gateway that a crash or a closed app left behind, to resume. */
  interrupted: Job | null;
  /** When the override given here ends (the seed's expires_at). */
  overrideUntil: string | null;
  error: RiggerErrorData | null;
  checkFor(gateway: string): Promise<void>;
  /** Find an update of this gateway that is still going (or written, or interrupted) and follow it. */
  attach(gateway: string): Promise<void>;
  prepare(offer: Offer): Promise<void>;
  closePreflight(): void;
  install(opts: InstallOptions): Promise<void>;
  /** Install the image a followed job has written and verified. */
  installNow(opts?: InstallOptions): Promise<void>;
  cancel(): Promise<void>;
  resumeInterrupted(): Promise<void>;
  override(input: {
    pin: string;
    reason: string;
    constraints: string[];
    duration: number;
  }): Promise<void>;
  dismiss(): void;
}

const POLL_MS = 1000;
const DONE = new Set(['success', 'failed', 'cancelled', 'interrupted']);
const FOLLOWED = new Set<string>([...ACTIVE_STATUSES, 'downloaded']);

let runs = 0;
const runningFor = (job: { id: string; gateway: string; version: string }): Running => ({
  runId: ++runs,
  jobId: job.id,
  gateway: job.gateway,
  version: job.version,
  progress: null,
  countdown: null,
  alert: null,
  awaitingInstall: false,
  outcome: null,
  message: null,
});

/** The main job: choose an image → preflight → go, then one progress view and a plain result. */
export const useUpdates = create<UpdatesState>((set, get) => {
  const patchRunning = (runId: number, p: Partial<Running>) => {
    const r = get().running;
    if (r && r.runId === runId) set({ running: { ...r, ...p } });
  };
  /** The runs followed now: one loop per run, however often the page asks. */
  const following = new Set<number>();
  /** The runs whose install the core has accepted: never asked twice. */
  const installed = new Set<number>();

  /**
   * Follow the job by events and by polling its progress. With install options, install once
   * the image is written and verified; without (a job found again), wait for the go.
   */
  const follow = async (run: Running, opts: InstallOptions | null) => {
    const { runId, jobId } = run;
    if (following.has(runId)) return;
    following.add(runId);
    const finished = () => !!get().running?.outcome || get().running?.runId !== runId;
    const offs = [
      api().on('system_event', (e) => {
        if (e.event === 'reboot_countdown' && typeof e.countdown === 'number' && !finished())
          patchRunning(runId, { countdown: e.countdown });
      }),
      api().on('safety_alert', (e) => {
        if (!finished()) patchRunning(runId, { alert: e.message });
      }),
      api().on('progress_update', (e) => {
        if (e.job_id === jobId) void poll().catch(() => undefined);
      }),
    ];
    const poll = async () => {
      const p = await api().call('updates.progress', { job_id: jobId });
      patchRunning(runId, {
        progress: p,
        // The countdown runs while the job is still installing; once it reboots it is over.
        ...(p.status === 'installing' ? {} : { countdown: null }),
        ...(p.status === 'paused_safety' ? {} : { alert: null }),
      });
      return p;
    };
    try {
      let go = opts;
      for (;;) {
        if (get().running?.runId !== runId) break;
        const p = await poll();
        if (p.status === 'downloaded' && !installed.has(runId)) {
          if (go) {
            // Refused (say, the window closed meanwhile): the image waits for the go.
            if (!(await askInstall(run, go))) go = null;
          } else if (!get().running?.awaitingInstall) {
            patchRunning(runId, { awaitingInstall: true });
          }
        } else if (p.status !== 'downloaded' && get().running?.awaitingInstall) {
          // Installed or cancelled elsewhere (the Jobs page, the CLI): follow what it does.
          patchRunning(runId, { awaitingInstall: false });
        }
        if (DONE.has(p.status)) {
          const job = await api().call('jobs.get', { job_id: jobId });
          patchRunning(runId, {
            outcome:
              p.status === 'success'
                ? 'success'
                : p.status === 'cancelled'
                  ? 'cancelled'
                  : 'failed',
            message: job.error,
          });
          break;
        }
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    } catch (err) {
      set({ error: asError(err) });
      patchRunning(runId, { outcome: 'failed', message: asError(err).message });
    } finally {
      following.delete(runId);
      offs.forEach((off) => off());
    }
  };

  /** Ask the core to install; a refusal (say, the window closed meanwhile) leaves the image waiting. */
  const askInstall = async (run: Running, opts: InstallOptions): Promise<boolean> => {
    const { runId, jobId } = run;
    try {
      await api().call('updates.install', {
        job_id: jobId,
        reboot_delay: opts.rebootDelay,
        create_snapshot: opts.snapshot,
        confirm_outside_window: opts.outsideWindow,
      });
      installed.add(runId);
      patchRunning(runId, { awaitingInstall: false });
      return true;
    } catch (err) {
      set({ error: asError(err) });
      patchRunning(runId, { awaitingInstall: true });
      return false;
    }
  };

  return {
    gateway: null,
    check: null,
    checking: false,
    preflight: null,
    running: null,
    interrupted: null,
    overrideUntil: null,
    error: null,
    async checkFor(gateway) {
      set({
        gateway,
        checking: true,
        error: null,
        check: get().gateway === gateway ? get().check : null,
      });
      try {
        set({ check: await api().call('updates.check', { gateway }) });
      } catch (err) {
        set({ error: asError(err) });
      } finally {
        set({ checking: false });
      }
    },
    async attach(gateway) {
      const r = get().running;
      // One update is followed at a time; a result stays until it is acknowledged.
      if (r && (!r.outcome || r.gateway === gateway)) return;
      try {
        const { jobs } = await api().call('jobs.list', { gateway, limit: 20 });
        const updates = jobs.filter((j) => j.type === 'update');
        const live = updates.find((j) => FOLLOWED.has(j.status));
        const interrupted = updates.find((j) => j.status === 'interrupted') ?? null;
        set({ interrupted: live ? null : interrupted });
        if (!live) return;
        if (get().running && !get().running?.outcome) return;
        const run = runningFor({
          id: live.id,
          gateway,
          version: live.update?.version ?? 'the image',
        });
        set({ running: run });
        void follow(run, null);
      } catch (err) {
        set({ error: asError(err) });
      }
    },
    async prepare(offer) {
      const gateway = get().gateway;
      if (!gateway) return;
      set({ error: null });
      try {
        const [status, safety, settings] = await Promise.all([
          api().call('gateways.status', { name: gateway }),
          api().call('safety.status', { gateway }),
          api().call('settings.get', {}),
        ]);
        set({
          preflight: { offer, status, safety, window: windowState(settings.maintenance_window) },
        });
      } catch (err) {
        set({ error: asError(err) });
      }
    },
    closePreflight: () => set({ preflight: null }),
    async install(opts) {
      const pre = get().preflight;
      const gateway = get().gateway;
      if (!pre || !gateway) return;
      set({ error: null });
      try {
        const started = await api().call('updates.download', { gateway, update_id: pre.offer.id });
        const run = runningFor({ id: started.job_id, gateway, version: pre.offer.version });
        set({ preflight: null, interrupted: null, running: run });
        await follow(run, opts);
      } catch (err) {
        set({ error: asError(err) });
      }
    },
    async installNow(opts = DEFAULT_INSTALL) {
      const r = get().running;
      if (!r || !r.awaitingInstall) return;
      set({ error: null });
      // The follower is still polling (or starts again): once installed, it follows the rest.
      if (await askInstall(r, opts)) await follow(r, opts);
    },
    async cancel() {
      const r = get().running;
      if (!r) return;
      try {
        await api().call('jobs.cancel', { job_id: r.jobId, cleanup: true });
      } catch (err) {
        set({ error: asError(err) });
      }
    },
    async resumeInterrupted() {
      const job = get().interrupted;
      if (!job) return;
      set({ error: null });
      try {
        await api().call('jobs.resume', { job_id: job.id });
        const run = runningFor({
          id: job.id,
          gateway: job.gateway,
          version: job.update?.version ?? 'the image',
        });
        set({ interrupted: null, running: run });
        await follow(run, null);
      } catch (err) {
        set({ error: asError(err) });
      }
    },
    async override(input) {
      const gateway = get().gateway;
      if (!gateway) return;
      const r = await api().call('safety.override', {
        gateway,
        pin: input.pin,
        reason: input.reason,
        constraints: input.constraints as never,
        duration: input.duration,
        acknowledge_risks: true,
      });
      set({ overrideUntil: r.expires_at });
      const pre = get().preflight;
      if (pre) await get().prepare(pre.offer);
    },
    dismiss() {
      set({ running: null, error: null });
      // What fits has changed (the gateway runs another version now): read it again.
      const g = get().gateway;
      if (g) void get().checkFor(g);
    },
  };
});
