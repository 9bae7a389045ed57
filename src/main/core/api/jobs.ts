import { RiggerError } from '../../../shared/errors';
import { ACTIVE_STATUSES, TERMINAL_STATUSES, type JobStatus } from '../../../shared/jobs';
import type { UpdatesArea } from '../ota/area';
import { summarize, toSeedJob } from '../jobs/format';
import type { AreaHandlers } from './handlers';
import { historyHandlers } from './history';
import { otaHandlers } from './ota';
import { safetyHandlers } from './safety';

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

/** Job management as API operations. */
export function jobHandlers(
  a: UpdatesArea,
): AreaHandlers<'jobs.list' | 'jobs.get' | 'jobs.cancel' | 'jobs.resume'> {
  const store = a.engine.store;
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
    'jobs.get': async ({ job_id }) => {
      const row = store.find(job_id);
      if (!row)
        throw new RiggerError('OTA_013', `No job ${job_id}`, { job_id }, [
          'List jobs with: rigger jobs',
        ]);
      return toSeedJob(row);
    },
    'jobs.cancel': async ({ job_id, reason, cleanup }) => a.ota.cancel(job_id, reason, cleanup),
    'jobs.resume': async ({ job_id }) => toSeedJob(a.ota.resume(job_id)),
  };
}

/** The update handlers (jobs, OTA, safety, history), for one line in the core. */
export function updatesHandlers(a: UpdatesArea) {
  return { ...jobHandlers(a), ...otaHandlers(a), ...safetyHandlers(a), ...historyHandlers(a) };
}
