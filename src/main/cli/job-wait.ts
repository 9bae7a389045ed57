import { RiggerError } from '../../shared/errors';
import type { Core } from '../core/core';
import type { JobStatus } from '../../shared/jobs';
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
