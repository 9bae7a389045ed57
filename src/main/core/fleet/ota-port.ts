import { RiggerError } from '../../../shared/errors';
import type { JobStatus } from '../../../shared/jobs';
import { POSTPONING_CODES, reasonOf, type UpdateOutcome, type UpdatePort } from './rollouts-port';

/** What the rollout port needs of the core's OTA jobs (`updates.download`, `updates.install`, `jobs.get`). */
export interface OtaJobCalls {
  download(gateway: string, imageId: string): Promise<{ job_id: string }>;
  install(jobId: string): Promise<unknown>;
  /** The job's state; `error_code` when the core knows the code of its error. */
  job(
    jobId: string,
  ): Promise<{ status: JobStatus; error: string | null; error_code?: string | null }>;
  pollMs?: number;
  /** Stops the polling (the engine is closing); the job itself goes on. */
  signal?: AbortSignal;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The rollout's port onto today's verified update: `start` begins the download (its preflight
 * refuses what can only fail, before any job exists), `wait` installs once the image is on the
 * gateway and follows the job to its end. It works from the job id alone, so after a restart
 * `wait` picks up a job wherever it stands.
 */
export function createOtaPort(c: OtaJobCalls): UpdatePort {
  const pollMs = c.pollMs ?? 1000;
  return {
    async start(gateway, imageId) {
      return (await c.download(gateway, imageId)).job_id;
    },
    async wait(jobId) {
      let installed = false;
      for (;;) {
        if (c.signal?.aborted) throw new Error('the rollout engine stopped');
        const j = await c.job(jobId);
        const ended = (outcome: UpdateOutcome) => ({ outcome, reason: j.error });
        if (j.status === 'success') return ended('success');
        if (j.status === 'cancelled') return ended('cancelled');
        if (j.status === 'failed' || j.status === 'interrupted')
          return ended(j.error_code && POSTPONING_CODES.has(j.error_code) ? 'postponed' : 'failed');
        if (j.status === 'downloaded' && !installed) {
          try {
            await c.install(jobId);
            installed = true;
          } catch (err) {
            // A closed maintenance window or a moving crane: try the gateway again later.
            if (err instanceof RiggerError && POSTPONING_CODES.has(err.code))
              return { outcome: 'postponed', reason: reasonOf(err) };
            return { outcome: 'failed', reason: reasonOf(err) };
          }
        }
        await sleep(pollMs);
      }
    },
  };
}
