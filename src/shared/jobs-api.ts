import {
  jobCancelInputSchema,
  jobCancelSchema,
  jobRefSchema,
  jobSchema,
  jobsListInputSchema,
  jobsListSchema,
} from './jobs';

/** Job management: list (seed shape with summary), cancel, resume an interrupted job. */
export const jobOperations = {
  'jobs.list': { input: jobsListInputSchema, output: jobsListSchema },
  'jobs.get': { input: jobRefSchema, output: jobSchema },
  'jobs.cancel': { input: jobCancelInputSchema, output: jobCancelSchema },
  'jobs.resume': { input: jobRefSchema, output: jobSchema },
} as const;
