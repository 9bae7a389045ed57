import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGatewaySim } from '../test/gateway-sim';
import { casyncBytes } from './delta-casync';
import { makeCompressibleImage } from './link-image';
import { LINK_METHOD, startLinkModel } from './link-model';
import { runUpdateJobs, stepsOf, type JobLine } from './update-job-spawn';

const SIZE_MB = Number(process.env.BENCH_DELTA_MB ?? 512);
const BS = 4096;

/** `count` distinct block numbers below `n`, spread at random. */
function randomBlocks(n: number, count: number): number[] {
  const out = new Set<number>();
  while (out.size < count) out.add(randomBytes(4).readUInt32BE(0) % n);
  return [...out];
}

/** `count` blocks in a few runs (one package's files, rewritten together). */
function clusteredBlocks(n: number, count: number): number[] {
  const runs = 3;
  const out: number[] = [];
  for (let r = 0; r < runs; r++) {
    const len = Math.ceil(count / runs);
    const start = Math.floor(((r + 0.3) * n) / runs);
    for (let i = 0; i < len && out.length < count; i++) out.push(start + i);
  }
  return out;
}

const mb = (n: number) => `${(n / 1e6).toFixed(2)} MB`;
const bytesLine = (name: string, rigger: number, ref: number, goal: string) =>
  `${name.padEnd(44)} rigger ${mb(rigger)}  reference ${mb(ref)}  ratio ${(rigger / ref).toFixed(3)}x  (goal ${goal})`;
const timeLine = (name: string, rigger: number, ref: number, goal: string) =>
  `${name.padEnd(44)} rigger ${rigger.toFixed(2)} s  reference ${ref.toFixed(2)} s  ratio ${(rigger / ref).toFixed(3)}x  (goal ${goal})`;

/**
 * Delta updates through Rigger's real update job over the 100 Mbit/s link model, the old image
 * in the target slot (written there by a full update job first, which is the time reference):
 * 5% of 4 KiB blocks changed at random, and clustered. Bytes on the wire against RAUC's adaptive
 * block-hash-index (changed blocks + 32 bytes per 4 KiB block) and Debian's casync with the old
 * image as seed (same run).
 */
export async function benchDelta(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'rigger-bench-delta-'));
  const sim = await startGatewaySim({
    scheme: 'bootcount',
    booted: 'A',
    slotSize: Math.ceil(SIZE_MB * 1.25 + 16) * 1024 * 1024,
  });
  const lines = [
    `Delta update of ${SIZE_MB} MiB, 5% of 4 KiB blocks changed, old image in the target slot, through Rigger's update job:`,
    `  (link: 100 Mbit/s, 1 ms; ${LINK_METHOD})`,
  ];
  try {
    const oldPath = join(dir, 'old.img');
    const { size } = makeCompressibleImage(oldPath, SIZE_MB);
    const old = readFileSync(oldPath);
    const n = Math.ceil(size / BS);
    const kinds = [
      ['random', randomBlocks(n, Math.round(n * 0.05))],
      ['clustered', clusteredBlocks(n, Math.round(n * 0.05))],
    ] as const;
    const refs = new Map<string, { rauc: number; casync: number }>();
    for (const [kind, blocks] of kinds) {
      const next = Buffer.from(old);
      for (const b of blocks) randomBytes(BS).copy(next, b * BS);
      const path = join(dir, `${kind}.img`);
      writeFileSync(path, next);
      execFileSync('sh', ['-c', `gzip -6 -c '${path}' > '${path}.gz'`]);
      refs.set(kind, {
        rauc: blocks.length * BS + 32 * n,
        casync: casyncBytes(dir, oldPath, path).bytes,
      });
    }
    const link = await startLinkModel(sim.port, { mbit: 100, rttMs: 1 });
    let jobs: JobLine[];
    try {
      jobs = runUpdateJobs(link.ns, dir, {
        dataDir: join(dir, 'data'),
        gateway: {
          host: link.host,
          port: link.port,
          user: sim.user,
          keyFile: sim.keyFile,
          profile: sim.profilePath,
        },
        fingerprint: sim.hostKeyFingerprint,
        images: [
          { name: 'old', path: `${oldPath}.gz`, version: 'v1.0.0' },
          ...kinds.map(([k], i) => ({
            name: k,
            path: join(dir, `${k}.img.gz`),
            version: `v1.${i + 1}.0`,
          })),
        ],
        runs: [
          { label: 'full', image: 'old' },
          { label: 'random', image: 'random', plan: true },
          // Back to the old image (itself a delta) so the next one starts from it again.
          { label: 'back', image: 'old' },
          { label: 'clustered', image: 'clustered', plan: true },
        ],
      });
    } finally {
      await link.stop();
    }
    const job = (label: string) => jobs.find((j) => j.label === label)!;
    const full = job('full');
    lines.push(
      `  full update job: ${full.secs.toFixed(2)} s, ${mb(full.result!.bytes_on_wire)} on the wire (${full.result!.wire})`,
      `    steps: ${stepsOf(full)}`,
    );
    for (const [kind] of kinds) {
      const ran = job(kind);
      const plan = job(`${kind}:plan`).plan!;
      const ref = refs.get(kind)!;
      const wire = ran.result!.bytes_on_wire;
      lines.push(
        `  ${kind}: ${plan.path}: ${plan.summary} (${plan.delta?.runs ?? 0} runs; planned in ${job(`${kind}:plan`).secs.toFixed(2)} s, block indexes built then)`,
        bytesLine(`delta ${kind} bytes (vs RAUC block-hash-index)`, wire, ref.rauc, '<= 1.0x'),
        bytesLine(`delta ${kind} bytes (vs casync, old as seed)`, wire, ref.casync, '<= 1.0x'),
        timeLine(`delta ${kind} time (vs Rigger's full update)`, ran.secs, full.secs, '<= 0.2x'),
        `    steps: ${stepsOf(ran)}`,
      );
    }
    lines.push(
      "  (each time is the whole job up to the gateway's read-back of the slot: planning with the gateway's hash of the target slot, staging, placing, read-back; bytes on the wire are the staged blocks plus the placing commands)",
    );
    return lines;
  } finally {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
