import { RiggerError } from '../../../shared/errors';
import { ACTIVE_STATUSES, TERMINAL_STATUSES, type JobStatus } from '../../../shared/jobs';
import type { JobEngine } from '../jobs/engine';
import { summarize, toSeedJob } from '../jobs/format';
import type { JobRow } from '../jobs/store';
import type { OtaService } from '../ota/service';
import type { AreaHandlers } from './handlers';

const BY_FILTER: Record<string, readonly JobStatus[]> = {
  active: ACTIVE_STATUSES,
  completed: TERMINAL_STATUSES,
  failed: ['failed'],
  pending: ['pending', 'downloaded'],
  interrupted: ['interrupted'],
};
const BY_TYPE: Record<string, string[]> = {
  download: ['download'],
  install: ['install', 'deploy'],
  rollback: ['rollback'],
  snapshot: ['snapshot'],
};

/** Job management as API operations; cancel and resume are the OTA service's. */
export function jobHandlers(d: {
  engine: JobEngine;
  ota: OtaService;
  /** A console flash resumes on its serial port, from its first chunk not proven. */
  resumeConsoleFlash?: (jobId: string) => Promise<JobRow>;
}): AreaHandlers<'jobs.list' | 'jobs.get' | 'jobs.cancel' | 'jobs.resume' | 'jobs.outcome'> {
  const store = d.engine.store;
  const find = (job_id: string): JobRow => {
    const row = store.find(job_id);
    if (!row)
      throw new RiggerError('OTA_013', `No job ${job_id}`, { job_id }, [
        'List jobs with: rigger jobs',
      ]);
    return row;
  };
  return {
    'jobs.list': async ({ status, type, limit, gateway }) => {
      const all = store.list({ gateway, limit: 1000 });
      const jobs = all
        .filter((r) => !status || BY_FILTER[status]!.includes(r.status))
        .filter((r) => !type || BY_TYPE[type]!.includes(r.subtype))
        .slice(0, limit)
        .map((r) => toSeedJob(r));
      return { jobs, summary: summarize(all) };
    },
    'jobs.get': async ({ job_id }) => toSeedJob(find(job_id)),
    'jobs.cancel': async ({ job_id, reason, cleanup }) => d.ota.cancel(job_id, reason, cleanup),
    'jobs.resume': async ({ job_id }) =>
      toSeedJob(
        find(job_id).subtype === 'console_flash' && d.resumeConsoleFlash
          ? await d.resumeConsoleFlash(job_id)
          : d.ota.resume(job_id),
      ),
    'jobs.outcome': async ({ job_id }) => {
      const row = find(job_id);
      return {
        job: toSeedJob(row),
        running: d.engine.isRunning(job_id),
        installs: !!row.params.install,
        error: row.error,
      };
    },
  };
}
