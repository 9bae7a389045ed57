import { RiggerError } from '../../shared/errors';
import type { JobOutcome } from '../../shared/jobs-api';
import type { JobStatus } from '../../shared/jobs';
import type { Core } from '../core/core';
import { print } from './output';
import { terminalBar } from './progress-bar';

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
  const bar = terminalBar(label);
  let last = 0;
  let wake: (() => void) | null = null;
  const nudge = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  const offs = [
    core.events.on('progress_update', (e) => {
      if (e.job_id !== jobId) return;
      const done = Number(e.details.bytes_done ?? 0);
      const total = Number(e.details.bytes_total ?? 0);
      if (done > last) bar.add(done - last, total);
      last = done;
    }),
    core.events.on('status_change', (e) => {
      if (process.stderr.isTTY) process.stderr.write(`\n${e.message}\n`);
      nudge();
    }),
    core.events.on('system_event', (e) => {
      if (process.stderr.isTTY) process.stderr.write(`${e.message}\n`);
      nudge();
    }),
    core.events.on('job_complete', (e) => {
      if (e.job_id === jobId) nudge();
    }),
  ];
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
    for (const off of offs) off();
    bar.done();
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
