import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGatewaySim, type GatewaySim } from '../test/gateway-sim';
import { makeCompressibleImage } from './link-image';
import { LINK_METHOD, startLinkModel, type LinkModel, type LinkShape } from './link-model';
import { ratioLine } from './measure';
import { runUpdateJobs, stepsOf, type JobLine, type UpdateJobRun } from './update-job-spawn';

const SIZE_MB = Number(process.env.BENCH_LINK_MB ?? 512);
const ROUNDS = Math.max(1, Number(process.env.BENCH_LINK_ROUNDS ?? 2));

/** OpenSSH to the test gateway through the link. */
function sshVia(sim: GatewaySim, link: LinkModel): string {
  return `ssh -i ${sim.keyFile} -p ${link.port} -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR ${sim.user}@${link.host}`;
}

const GOALS: Array<[LinkShape, string]> = [
  [{ mbit: 100, rttMs: 1 }, '<= 0.5x'],
  [{ mbit: 10, rttMs: 20 }, '<= 0.45x'],
];

const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
const best = (runs: JobLine[]) => runs.reduce((a, b) => (b.secs < a.secs ? b : a));

/**
 * A full update over a real (shaped) link: the reference `cat IMG | ssh gw 'cat > SLOT'` plus
 * `ssh gw sha256sum SLOT`, against Rigger's real update job (bench/update-job.ts: the image
 * imported as .img.gz, `updates.download` to the inactive slot, raw or gzip as the job chooses
 * from what it measures). Alternating rounds in one run, best of each; after each job the slot
 * is checked against the image's SHA-256 here too.
 */
export async function benchLink(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'rigger-bench-link-'));
  const sim = await startGatewaySim({
    scheme: 'bootcount',
    booted: 'A',
    slotSize: (SIZE_MB + 16) * 1024 * 1024,
  });
  const lines = [
    `Full update of ${SIZE_MB} MiB (gzip ~2.5x) over a shaped link, through Rigger's update job, best of ${ROUNDS} alternating rounds:`,
    `  (link: ${LINK_METHOD})`,
  ];
  try {
    const img = join(dir, 'full.img');
    const { size, gzSize } = makeCompressibleImage(img, SIZE_MB);
    const want = createHash('sha256').update(readFileSync(img)).digest('hex');
    const profile = JSON.parse(readFileSync(sim.profilePath, 'utf8')) as {
      slots: { B: { device: string } };
      status_file: string;
    };
    // Booted A: the job writes B. Each job starts from the gateway as it came (B's status-file
    // entry names an image the library lacks), so every round is the same full write.
    const slot = profile.slots.B.device;
    const fresh = join(dir, 'slots.json');
    copyFileSync(profile.status_file, fresh);
    lines.push(`  (image ${mb(size)}, its gzip ${mb(gzSize)})`);
    for (const [shape, goal] of GOALS) {
      const link = await startLinkModel(sim.port, shape);
      let jobs: JobLine[];
      try {
        const ssh = sshVia(sim, link);
        const runs: UpdateJobRun[] = [];
        for (let i = 1; i <= ROUNDS; i++) {
          runs.push(
            {
              label: `reference${i}`,
              shell: `cat ${img} | ${ssh} 'cat > ${slot}' && ${ssh} 'sha256sum ${slot}' >/dev/null`,
            },
            { label: `reset${i}`, shell: `cp '${fresh}' '${profile.status_file}'` },
            { label: `rigger${i}`, image: 'full' },
            { label: `check${i}`, shell: `head -c ${size} '${slot}' | sha256sum` },
          );
        }
        jobs = runUpdateJobs(link.ns, dir, {
          dataDir: join(dir, `data-${shape.mbit}`),
          gateway: {
            host: link.host,
            port: link.port,
            user: sim.user,
            keyFile: sim.keyFile,
            profile: sim.profilePath,
          },
          fingerprint: sim.hostKeyFingerprint,
          images: [{ name: 'full', path: `${img}.gz`, version: 'v9.0.0' }],
          runs,
        });
      } finally {
        await link.stop();
      }
      const of = (kind: string) => jobs.filter((j) => /^\D+/.exec(j.label)?.[0] === kind);
      for (const c of of('check')) {
        if (!c.out?.startsWith(want)) {
          throw new Error(
            `${shape.mbit} Mbit/s, ${c.label}: slot ${slot} does not hold the image after the job (sha256 ${c.out?.slice(0, 64)}, image ${want})`,
          );
        }
      }
      const rigger = best(of('rigger'));
      const reference = best(of('reference'));
      const r = rigger.result!;
      lines.push(
        ratioLine(
          `full update ${shape.mbit} Mbit/s ${shape.rttMs} ms (vs cat|ssh + sha256sum)`,
          rigger.secs,
          reference.secs,
          goal,
        ),
        `    rounds: rigger ${of('rigger')
          .map((j) => j.secs.toFixed(2))
          .join(', ')} s; reference ${of('reference')
          .map((j) => j.secs.toFixed(2))
          .join(', ')} s`,
        `    job chose ${r.wire}: ${r.wire_reason}`,
        `    bytes_on_wire ${r.bytes_on_wire}, bytes_written ${r.bytes_written}; slot checked against the image's sha256 after each job`,
        `    steps: ${stepsOf(rigger)}`,
      );
    }
    lines.push(
      "  (Rigger's time is the whole updates.download job: reading the gateway's status, the safety check, measuring the link, making the target unbootable, the write, the gateway's read-back of the slot, the status file; the reference only sends and hashes)",
    );
    return lines;
  } finally {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
