import { RiggerError } from '../../shared/errors';
import type { JobOutcome } from '../../shared/jobs-api';
import type { JobStatus } from '../../shared/jobs';
import type { Core } from '../core/core';
import { print } from './output';
import { jobTerminal } from './job-terminal';

/** After an event, let the engine's own follow-ups run first (a written image going on to install). */
const settle = () => new Promise<void>((r) => setImmediate(r));

/**
 * Wait in this process until a job reaches one of `until` and its body has returned, drawing its
 * progress on a TTY. Woken by the core's events; each look goes through `jobs.outcome`.
 */
export async function waitForJob(
  core: Core,
  jobId: string,
  until: readonly JobStatus[],
  label: string,
): Promise<JobOutcome> {
  let wake: (() => void) | null = null;
  const off = jobTerminal(core.events, jobId, label, () => {
    const w = wake;
    wake = null;
    w?.();
  });
  try {
    for (;;) {
      // Armed before the look, so an event during it is not missed.
      const next = new Promise<void>((r) => (wake = r));
      const o = await core.call('jobs.outcome', { job_id: jobId });
      // A flash job passes `downloaded` on its way to install: it is final only if nothing runs.
      if (!o.running && until.includes(o.job.status)) return o;
      await next;
      await settle();
    }
  } finally {
    off();
  }
}

const FINAL = ['success', 'failed', 'cancelled', 'interrupted', 'downloaded'] as const;

/**
 * Follow a job to its end with a progress bar, print it (the seed's job shape with --json),
 * and exit with its error when it did not end in one of `ok`.
 */
export async function followJob(
  core: Core,
  id: string,
  json: boolean | undefined,
  ok: string[],
  label: string,
): Promise<JobOutcome> {
  const outcome = await waitForJob(core, id, FINAL, label);
  const { job, error } = outcome;
  print(json, job, () => `Job ${job.id}: ${job.status}${job.error ? ` - ${job.error}` : ''}`);
  if (!ok.includes(job.status) && error) {
    throw new RiggerError(error.code, error.message, error.details, error.suggested_actions);
  }
  return outcome;
}
