import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach } from 'vitest';
import type { Core } from '../../../src/main/core/core';
import { startGatewaySim, type GatewaySim } from '../../gateway-sim';
import { otaCore } from '../ota/setup';

/** Every regular file under `dirs`, by path relative to `root`, with its SHA-256. */
export function treeHashes(root: string, dirs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.isFile())
        out[relative(root, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  for (const d of dirs) walk(join(root, d));
  return out;
}

/** Poll a job until it ends; its row as `jobs.get` shows it. */
export async function settle(core: Core, jobId: string, ms = 60_000) {
  const end = Date.now() + ms;
  for (;;) {
    const j = await core.call('jobs.get', { job_id: jobId });
    if (['success', 'failed', 'cancelled'].includes(j.status)) return j;
    if (Date.now() > end)
      throw new Error(`job ${jobId} stuck at ${j.status} (${j.current_operation})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Take a snapshot and wait for it; its id. */
export async function takeSnapshot(core: Core, name = 'before') {
  const s = await core.call('monitor.snapshot', { gateway: 'gw', name });
  const j = await settle(core, s.job_id);
  if (j.status !== 'success') throw new Error(`snapshot failed: ${j.error}`);
  return s.snapshot_id;
}

/**
 * `setup(opts)`: a sim (bootcount, booted A, then `opts`) with an OTA core registered on it as
 * "gw"; both are stopped after each test of the calling file.
 */
export function useSimCores() {
  const cores: Core[] = [];
  const sims: GatewaySim[] = [];
  afterEach(async () => {
    await Promise.all(cores.splice(0).map((c) => c.close()));
    await Promise.all(sims.splice(0).map((s) => s.stop()));
  });
  return async (opts: Parameters<typeof startGatewaySim>[0] = {}) => {
    const sim = await startGatewaySim({ scheme: 'bootcount', booted: 'A', ...opts });
    sims.push(sim);
    const { core, work, vendor } = await otaCore(sim);
    cores.push(core);
    return { sim, core, work, vendor };
  };
}
