import { execFileSync, spawnSync } from 'node:child_process';

/** Wall time of an async function, in seconds. */
export async function timeIt(fn: () => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/** Wall time of a shell pipeline, in seconds; a failing command stops the bench. */
export function timeShell(script: string): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('bash', ['-o', 'pipefail', '-c', script], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`reference command failed: ${script}`);
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/** Drop the page cache where allowed (root), so Rigger and the reference read the same way. */
export function dropCaches(): void {
  try {
    execFileSync('sh', ['-c', 'sync; echo 3 > /proc/sys/vm/drop_caches'], { stdio: 'ignore' });
  } catch {
    // Not root, or not Linux: both sides then read from a warm cache alike.
  }
}

/** One result line: Rigger vs the reference, the ratio, and the goal. */
export function ratioLine(name: string, rigger: number, reference: number, goal: string): string {
  return `${name.padEnd(44)} rigger ${rigger.toFixed(2)} s  reference ${reference.toFixed(2)} s  ratio ${(rigger / reference).toFixed(3)}x  (goal ${goal})`;
}
