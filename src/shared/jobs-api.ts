import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from './errors';
import {
  jobCancelInputSchema,
  jobCancelSchema,
  jobRefSchema,
  jobSchema,
  jobsListInputSchema,
  jobsListSchema,
} from './jobs';

/** The error a job ended with, in the seed's error format. */
export const jobErrorSchema = z.object({
  error: z.literal(true),
  code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]),
  message: z.string(),
  details: z.record(z.string(), z.unknown()),
  suggested_actions: z.array(z.string()),
  timestamp: z.string().optional(),
});

/**
 * Where a job stands, for a caller following it to its end (the CLI): its seed shape, whether
 * this process still runs its body, whether it goes on to install once written, and its error.
 */
export const jobOutcomeSchema = z.object({
  job: jobSchema,
  running: z.boolean(),
  installs: z.boolean(),
  error: jobErrorSchema.nullable(),
});
export type JobOutcome = z.infer<typeof jobOutcomeSchema>;

/** Job management: list (seed shape with summary), cancel, resume an interrupted job. */
export const jobOperations = {
  'jobs.list': { input: jobsListInputSchema, output: jobsListSchema },
  'jobs.get': { input: jobRefSchema, output: jobSchema },
  'jobs.cancel': { input: jobCancelInputSchema, output: jobCancelSchema },
  'jobs.resume': { input: jobRefSchema, output: jobSchema },
  'jobs.outcome': { input: jobRefSchema, output: jobOutcomeSchema },
} as const;
