import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What bench/update-job.ts is told to do (written as JSON; its only argument). */
export interface UpdateJobConfig {
  dataDir: string;
  gateway: { host: string; port: number; user: string; keyFile: string; profile: string };
  fingerprint: string;
  images: { name: string; path: string; version: string }[];
  /**
   * In order: write `image` to the inactive slot (`plan` first asks updates.plan, untimed), or
   * run `shell` on the laptop side (a reference, a reset, a check), timed the same way.
   */
  runs: UpdateJobRun[];
}

export type UpdateJobRun =
  { label: string; image: string; plan?: boolean } | { label: string; shell: string };

/** One line of the runner's output: a job, a plan, or a shell command. */
export interface JobLine {
  label: string;
  secs: number;
  result?: {
    bytes_on_wire: number;
    bytes_written: number;
    wire: string;
    wire_reason?: string;
    plan_summary?: string;
    sha256: string;
  };
  steps?: { name: string; secs: number }[];
  plan?: { summary: string; reason: string; delta: { runs: number } | null; path: string };
  /** A shell run's standard output. */
  out?: string;
}

/**
 * Run Rigger's real update jobs (bench/update-job.ts) inside the network namespace `ns`, so the
 * core's SSH goes through the link model; the lines it printed, in order. A failure stops the
 * bench with the runner's own message.
 */
export function runUpdateJobs(ns: string, dir: string, cfg: UpdateJobConfig): JobLine[] {
  const file = join(dir, 'job.json');
  writeFileSync(file, JSON.stringify(cfg));
  const r = spawnSync(
    'ip',
    [
      'netns',
      'exec',
      ns,
      process.execPath,
      '--import',
      'tsx',
      join(__dirname, 'update-job.ts'),
      file,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 },
  );
  if (r.status !== 0) throw new Error(`the update jobs failed: ${r.stderr.toString().trim()}`);
  return r.stdout
    .toString()
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as JobLine);
}

/** The job's steps that took a tenth of a second or more. */
export const stepsOf = (j: JobLine): string =>
  (j.steps ?? [])
    .filter((s) => s.secs >= 0.1)
    .map((s) => `${s.name} ${s.secs.toFixed(2)} s`)
    .join(', ');
