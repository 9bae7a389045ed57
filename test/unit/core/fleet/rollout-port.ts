import { RiggerError } from '../../../../src/shared/errors';
import type { UpdateOutcome, UpdatePort } from '../../../../src/main/core/fleet/rollouts-port';

/**
 * A scripted update port (a stand-in for the core's OTA jobs, named as such): each gateway plays
 * its list of results in order, one per attempt; `throw:CODE` makes `start` refuse with that code.
 * `hold` keeps a gateway's jobs running until `release` (to look at a wave while it runs).
 */
export function scriptedPort(script: Record<string, Array<UpdateOutcome | `throw:${string}`>>) {
  const started: string[] = [];
  const held = new Map<string, () => void>();
  const holding = new Set<string>();
  let n = 0;
  const jobs = new Map<string, { gateway: string; outcome: UpdateOutcome }>();
  const port: UpdatePort & {
    started: string[];
    hold(gw: string): void;
    release(gw: string): void;
    running(): string[];
  } = {
    started,
    async start(gateway) {
      const next = (script[gateway] ?? []).shift() ?? 'success';
      if (next.startsWith('throw:'))
        throw new RiggerError(
          next.slice(6) as 'OTA_002',
          `scripted ${next.slice(6)} on ${gateway}`,
        );
      started.push(gateway);
      const id = `job-${++n}`;
      jobs.set(id, { gateway, outcome: next as UpdateOutcome });
      return id;
    },
    async wait(jobId) {
      const j = jobs.get(jobId);
      if (!j) return { outcome: 'failed', reason: `no job ${jobId}` };
      if (holding.has(j.gateway)) await new Promise<void>((r) => held.set(j.gateway, r));
      return j.outcome;
    },
    hold: (gw) => holding.add(gw),
    release(gw) {
      holding.delete(gw);
      held.get(gw)?.();
      held.delete(gw);
    },
    running: () => [...held.keys()],
  };
  return port;
}
