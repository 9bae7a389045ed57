import type { RiggerErrorData } from '../../../shared/errors';
import type { RiggerEvent } from '../../../shared/events';
import { STOPPED_STATUSES, type JobOutcome } from '../../../shared/jobs';
import type { UpdateProgress } from '../../../shared/ota';
import { api, asError } from './client';
import { coalesce } from './coalesce';
import { readProgressDetails } from './progress-details';
import { applyProgressEvent } from './update-progress';
import type { InstallOptions, Running } from './update-run';

/** What the followers need of the updates store. */
export interface FollowHost {
  running(): Running | null;
  patch(runId: number, p: Partial<Running>): void;
  setError(error: RiggerErrorData | null): void;
}

interface Follower {
  done: Promise<void>;
  check(): void;
  stop(): void;
}

const outcomeOf = (status: UpdateProgress['status']): JobOutcome =>
  status === 'success' ? 'success' : status === 'cancelled' ? 'cancelled' : 'failed';

/**
 * Follow update jobs by the core's events: a progress event moves the bar in place; a change of
 * status or step, the job's end, or a reconnected event stream has the progress read once.
 * Nothing polls. With install options, the image is installed once written and verified.
 */
export function createFollowers(host: FollowHost) {
  const followers = new Map<number, Follower>();
  /** The runs whose install the core has accepted: never asked twice. */
  const installed = new Set<number>();

  /** Ask the core to install; a refusal (the window closed meanwhile) leaves the image waiting. */
  const askInstall = async (run: Running, opts: InstallOptions): Promise<boolean> => {
    try {
      await api().call('updates.install', {
        job_id: run.jobId,
        reboot_delay: opts.rebootDelay,
        create_snapshot: opts.snapshot,
        confirm_outside_window: opts.outsideWindow,
      });
      installed.add(run.runId);
      host.patch(run.runId, { awaitingInstall: false });
      return true;
    } catch (err) {
      host.setError(asError(err));
      host.patch(run.runId, { awaitingInstall: true });
      return false;
    }
  };

  const start = (run: Running, opts: InstallOptions | null): Follower => {
    const { runId, jobId } = run;
    let go = opts;
    let finish!: () => void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    const current = () => (host.running()?.runId === runId ? host.running() : null);
    const live = () => !!current() && !current()!.outcome;
    const stop = () => {
      if (followers.get(runId) !== follower) return;
      followers.delete(runId);
      offs.forEach((off) => off());
      finish();
    };

    /** Read the progress once and act on it (install, wait for the go, or end). */
    const readOnce = async () => {
      const p = await api().call('updates.progress', { job_id: jobId });
      if (!current()) return stop();
      host.patch(runId, {
        progress: p,
        progressAt: Date.now(),
        // The countdown runs while the job is still installing; once it reboots it is over.
        ...(p.status === 'installing' ? {} : { countdown: null }),
        ...(p.status === 'paused_safety' ? {} : { alert: null }),
        // Only a write stalls: any other status means the stall is over.
        ...(p.status === 'downloading' ? {} : { stall: null }),
      });
      if (p.status === 'downloaded' && !installed.has(runId)) {
        if (go) {
          // Accepted: read again to show the install under way. Refused: wait for the go.
          if (await askInstall(run, go)) check();
          else go = null;
        } else if (!current()?.awaitingInstall) {
          host.patch(runId, { awaitingInstall: true });
        }
      } else if (p.status !== 'downloaded' && current()?.awaitingInstall) {
        // Installed or cancelled elsewhere (the Jobs page, the CLI): follow what it does.
        host.patch(runId, { awaitingInstall: false });
      }
      if (STOPPED_STATUSES.includes(p.status)) {
        const job = await api().call('jobs.get', { job_id: jobId });
        host.patch(runId, {
          outcome: outcomeOf(p.status),
          message: job.error,
          resumable: job.resumable,
        });
        stop();
      }
    };

    /** One read at a time; asks made meanwhile are answered by one more read. */
    const read = coalesce(async () => {
      if (followers.get(runId) !== follower) return;
      try {
        await readOnce();
      } catch (err) {
        host.setError(asError(err));
        host.patch(runId, { outcome: 'failed', message: asError(err).message });
        stop();
      }
    });
    const check = () => void read();

    const mine = (e: Extract<RiggerEvent, { type: 'status_change' }>) =>
      e.job_id ? e.job_id === jobId : e.gateway === run.gateway;
    const offs = [
      api().on('progress_update', (e) => {
        const p = current()?.progress;
        if (e.job_id !== jobId || !p || !live()) return;
        const d = readProgressDetails(e.details);
        host.patch(runId, {
          progress: applyProgressEvent(p, e),
          progressAt: Date.now(),
          stall:
            d.stalledSeconds === null && !d.linkRetry
              ? null
              : { seconds: d.stalledSeconds ?? 0, retry: d.linkRetry },
        });
      }),
      api().on('status_change', (e) => {
        if (mine(e)) check();
      }),
      api().on('job_complete', (e) => {
        if (e.job_id === jobId) check();
      }),
      api().on('system_event', (e) => {
        if (e.event === 'reboot_scheduled' && typeof e.countdown === 'number' && live())
          host.patch(runId, { countdown: e.countdown });
      }),
      api().on('safety_alert', (e) => {
        if (live()) host.patch(runId, { alert: e.message });
      }),
      api().onResync(check),
    ];
    const follower: Follower = { done, check, stop };
    return follower;
  };

  return {
    askInstall,
    /** Follow a run until its job ends (the promise resolves then); one follower per run. */
    follow(run: Running, opts: InstallOptions | null): Promise<void> {
      const existing = followers.get(run.runId);
      if (existing) {
        existing.check();
        return existing.done;
      }
      const follower = start(run, opts);
      followers.set(run.runId, follower);
      follower.check();
      return follower.done;
    },
    /** Stop following every run but this one (the run shown was replaced or dismissed). */
    stopAllBut(runId: number | null): void {
      for (const [id, f] of [...followers]) if (id !== runId) f.stop();
    },
  };
}
