import { create } from 'zustand';
import type { RiggerErrorData } from '../../../shared/errors';
import type { UpdatesCheck } from '../../../shared/images';
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

/** The update running now, followed live. */
export interface Running {
  jobId: string;
  gateway: string;
  version: string;
  progress: UpdateProgress | null;
  countdown: number | null;
  /** The job's final state; null while it runs. */
  outcome: 'success' | 'failed' | 'cancelled' | null;
  message: string | null;
}

interface UpdatesState {
  gateway: string | null;
  check: UpdatesCheck | null;
  checking: boolean;
  preflight: Preflight | null;
  running: Running | null;
  /** When the override given here ends (the seed's expires_at). */
  overrideUntil: string | null;
  error: RiggerErrorData | null;
  checkFor(gateway: string): Promise<void>;
  prepare(offer: Offer): Promise<void>;
  closePreflight(): void;
  install(opts: InstallOptions): Promise<void>;
  cancel(): Promise<void>;
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

/** The main job: choose an image → preflight → go, then one progress view and a plain result. */
export const useUpdates = create<UpdatesState>((set, get) => {
  const patchRunning = (p: Partial<Running>) => {
    const r = get().running;
    if (r) set({ running: { ...r, ...p } });
  };

  /** Follow the job by events and by polling its progress; install once the image is written. */
  const follow = async (jobId: string, opts: InstallOptions) => {
    const offs = [
      api().on('system_event', (e) => {
        if (e.event === 'reboot_countdown' && typeof e.countdown === 'number')
          patchRunning({ countdown: e.countdown });
      }),
      api().on('progress_update', (e) => {
        if (e.job_id === jobId) void poll();
      }),
    ];
    let installed = false;
    const poll = async () => {
      const p = await api().call('updates.progress', { job_id: jobId });
      patchRunning({ progress: p, ...(p.status === 'rebooting' ? {} : { countdown: null }) });
      return p;
    };
    try {
      for (;;) {
        const p = await poll();
        if (p.status === 'downloaded' && !installed) {
          installed = true;
          await api().call('updates.install', {
            job_id: jobId,
            reboot_delay: opts.rebootDelay,
            create_snapshot: opts.snapshot,
            confirm_outside_window: opts.outsideWindow,
          });
        } else if (DONE.has(p.status)) {
          const job = await api().call('jobs.get', { job_id: jobId });
          patchRunning({
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
      patchRunning({ outcome: 'failed', message: asError(err).message });
    } finally {
      offs.forEach((off) => off());
    }
  };

  return {
    gateway: null,
    check: null,
    checking: false,
    preflight: null,
    running: null,
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
        set({
          preflight: null,
          running: {
            jobId: started.job_id,
            gateway,
            version: pre.offer.version,
            progress: null,
            countdown: null,
            outcome: null,
            message: null,
          },
        });
        await follow(started.job_id, opts);
      } catch (err) {
        set({ error: asError(err) });
      }
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
