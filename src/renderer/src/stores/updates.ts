import { create } from 'zustand';
import type { RiggerErrorData } from '../../../shared/errors';
import type { UpdatesCheck } from '../../../shared/images';
import { ACTIVE_STATUSES, type Job } from '../../../shared/jobs';
import { windowState, type WindowState } from '../../../shared/maintenance';
import type { SafetyStatus } from '../../../shared/safety';
import type { GatewayStatus } from '../../../shared/status';
import type { UpdatePlan } from '../../../shared/update-plan';
import { api, asError } from './client';
import { createFollowers } from './update-follow';
import { DEFAULT_INSTALL, runningFor, type InstallOptions, type Running } from './update-run';

export type Offer = UpdatesCheck['updates'][number];

/** What the technician checks before going: the gateway, its signals, the window. */
export interface Preflight {
  offer: Offer;
  status: GatewayStatus;
  safety: SafetyStatus;
  window: WindowState;
  /** How the write will go (full raw, full gzip, delta) and why: asked once the dialog is open. */
  plan?: { value: UpdatePlan | null; error: RiggerErrorData | null };
}

export { DEFAULT_INSTALL, type InstallOptions, type Running } from './update-run';

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
  /** Resume the failed job shown; it goes on to install if the run was asked to. */
  resumeFailed(): Promise<void>;
  override(input: {
    pin: string;
    reason: string;
    constraints: string[];
    duration: number;
  }): Promise<void>;
  dismiss(): void;
}

const FOLLOWED = new Set<string>([...ACTIVE_STATUSES, 'downloaded']);

/** The main job: choose an image → preflight → go, then one progress view and a plain result. */
export const useUpdates = create<UpdatesState>((set, get) => {
  const { follow, askInstall, stopAllBut } = createFollowers({
    running: () => get().running,
    patch(runId, p) {
      const r = get().running;
      if (r && r.runId === runId) set({ running: { ...r, ...p } });
    },
    setError: (error) => set({ error }),
  });
  /** Show this run (or none) and stop following any other. */
  const show = (running: Running | null) => {
    stopAllBut(running?.runId ?? null);
    set({ running });
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
        show(run);
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
        const preflight = {
          offer,
          status,
          safety,
          window: windowState(settings.maintenance_window),
        };
        set({ preflight });
        // The plan hashes the slots on the gateway: it arrives after the dialog opens.
        const plan = await api()
          .call('updates.plan', { gateway, update_id: offer.id })
          .then(
            (value) => ({ value, error: null }),
            (err: unknown) => ({ value: null, error: asError(err) }),
          );
        if (get().preflight === preflight) set({ preflight: { ...preflight, plan } });
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
        const run = runningFor({ id: started.job_id, gateway, version: pre.offer.version }, opts);
        set({ preflight: null, interrupted: null });
        show(run);
        await follow(run, opts);
      } catch (err) {
        set({ error: asError(err) });
      }
    },
    async installNow(opts = DEFAULT_INSTALL) {
      const r = get().running;
      if (!r || !r.awaitingInstall) return;
      set({ error: null });
      // The follower still listens (or starts again): once installed, it follows the rest.
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
        set({ interrupted: null });
        show(run);
        await follow(run, null);
      } catch (err) {
        set({ error: asError(err) });
      }
    },
    async resumeFailed() {
      const r = get().running;
      if (!r || !r.outcome || !r.resumable) return;
      set({ error: null });
      try {
        await api().call('jobs.resume', { job_id: r.jobId });
        const run = runningFor(
          { id: r.jobId, gateway: r.gateway, version: r.version },
          r.installOpts,
        );
        show(run);
        await follow(run, r.installOpts);
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
      show(null);
      set({ error: null });
      // What fits has changed (the gateway runs another version now): read it again.
      const g = get().gateway;
      if (g) void get().checkFor(g);
    },
  };
});
