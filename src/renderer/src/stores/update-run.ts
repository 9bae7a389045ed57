import type { JobOutcome } from '../../../shared/jobs';
import type { UpdateProgress } from '../../../shared/ota';
import type { LinkRetryView } from './progress-details';

/** A write that moves no bytes: for how long, and the link's retry once one runs. */
export interface Stall {
  seconds: number;
  retry: LinkRetryView | null;
}

export interface InstallOptions {
  rebootDelay: number;
  snapshot: boolean;
  outsideWindow: boolean;
}

/** What "Install now" uses for a written image found again (after a reload, a resume). */
export const DEFAULT_INSTALL: InstallOptions = {
  rebootDelay: 10,
  snapshot: false,
  outsideWindow: false,
};

/** The update running now, followed live. */
export interface Running {
  /** This view of the job: a job found again after a reload is a new run of the same job. */
  runId: number;
  jobId: string;
  gateway: string;
  version: string;
  progress: UpdateProgress | null;
  /** When `progress` was last read or moved (ms), to keep its elapsed time running between. */
  progressAt: number | null;
  countdown: number | null;
  /** The last safety alert while the job waits on a signal. */
  alert: string | null;
  /** The image is written and verified; the install waits for the technician's go. */
  awaitingInstall: boolean;
  /** The write is stalled (the link is dead or retried); null while bytes move. */
  stall: Stall | null;
  /** How to install once written, when that was the request (a resume goes on to it too). */
  installOpts: InstallOptions | null;
  /** The job stopped where it can go on from (a failed write); Resume is offered. */
  resumable: boolean;
  /** The job's final state; null while it runs. */
  outcome: JobOutcome | null;
  message: string | null;
}

let runs = 0;

/** A new run following this job, nothing known of its progress yet. */
export const runningFor = (
  job: { id: string; gateway: string; version: string },
  installOpts: InstallOptions | null = null,
): Running => ({
  runId: ++runs,
  jobId: job.id,
  gateway: job.gateway,
  version: job.version,
  progress: null,
  progressAt: null,
  countdown: null,
  alert: null,
  awaitingInstall: false,
  stall: null,
  installOpts,
  resumable: false,
  outcome: null,
  message: null,
});
