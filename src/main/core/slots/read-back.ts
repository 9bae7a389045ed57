import { run, shq, type GatewaySession } from '../gateways/session';
import type { Checkpoint } from './contract';

/** dd's block size: seek offsets are counted in it, so checkpoints are multiples of it. */
export const BLOCK = 64 * 1024;

/**
 * The last `n` checkpoints of each region, newest first: where a resume may start. Several,
 * because the newest ones sent may still have been in SSH window and socket buffers when the
 * link died.
 */
export const recent = (cps: Checkpoint[], n = 16) => [
  ...newestOf(
    cps.filter((c) => !c.region),
    n,
  ),
  ...newestOf(
    cps.filter((c) => c.region === 'stage'),
    n,
  ),
];

const newestOf = (cps: Checkpoint[], n: number) =>
  [...cps].sort((a, b) => b.offset - a.offset).slice(0, n);

/** The offset of the newest checkpoint of the slot's prefix: where a resume means to go on. */
export const newestOffset = (cps: Checkpoint[]) =>
  cps.reduce((m, c) => (c.region ? m : Math.max(m, c.offset)), 0);

/** The gateway's own SHA-256 of the first `n` bytes of a device (rule 3's read-back). */
export async function gatewayPrefixHash(session: GatewaySession, device: string, n: number) {
  const out = await run(session, `head -c ${n} ${shq(device)} | sha256sum`, {
    timeoutMs: 3600_000,
  });
  return out.trim().split(/\s+/)[0] ?? '';
}

/** The largest known checkpoint the gateway proves it holds, or 0. */
export async function provenOffset(session: GatewaySession, device: string, known: Checkpoint[]) {
  for (const cp of recent(known)) {
    if (cp.offset === 0 || cp.region) continue;
    if ((await gatewayPrefixHash(session, device, cp.offset)) === cp.sha256) return cp.offset;
  }
  return 0;
}
