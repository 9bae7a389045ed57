import { RiggerError } from '../../shared/errors';
import type { Core } from '../core/core';
import type { JobStatus } from '../../shared/jobs';
import { toSeedJob } from '../core/jobs/format';
import { print } from './output';
import { terminalBar } from './progress-bar';

/** Wait in this process until a job reaches one of `until`, drawing its progress on a TTY. */
export async function waitForJob(
  core: Core,
  jobId: string,
  until: readonly JobStatus[],
  label: string,
) {
  const bar = terminalBar(label);
  let last = 0;
  const off = core.events.on('progress_update', (e) => {
    if (e.job_id !== jobId) return;
    const done = Number(e.details.bytes_done ?? 0);
    const total = Number(e.details.bytes_total ?? 0);
    if (done > last) bar.add(done - last, total);
    last = done;
  });
  const offStatus = core.events.on('status_change', (e) => {
    if (process.stderr.isTTY) process.stderr.write(`\n${e.message}\n`);
  });
  const offSystem = core.events.on('system_event', (e) => {
    if (process.stderr.isTTY) process.stderr.write(`${e.message}\n`);
  });
  try {
    for (;;) {
      const row = core.updates.engine.store.find(jobId);
      if (!row)
        throw new RiggerError('OTA_013', `Job ${jobId} is gone`, { job_id: jobId }, [
          'List jobs with: rigger jobs',
        ]);
      // A flash job passes `downloaded` on its way to install: it is final only if nothing runs.
      const settled = !core.updates.engine.isRunning(jobId) && until.includes(row.status);
      if (settled) return row;
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    off();
    offStatus();
    offSystem();
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
) {
  const row = await waitForJob(core, id, FINAL, label);
  const job = toSeedJob(row);
  print(json, job, () => `Job ${job.id}: ${job.status}${job.error ? ` - ${job.error}` : ''}`);
  if (!ok.includes(row.status) && row.error) {
    throw new RiggerError(
      row.error.code,
      row.error.message,
      row.error.details,
      row.error.suggested_actions,
    );
  }
  return row;
}
