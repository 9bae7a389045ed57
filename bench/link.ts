import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseCompression } from '../src/main/core/transfer/compression-choice';
import { startGatewaySim, type GatewaySim } from '../test/gateway-sim';
import { makeCompressibleImage } from './link-image';
import { LINK_METHOD, startLinkModel, type LinkModel, type LinkShape } from './link-model';
import { ratioLine } from './measure';

const SIZE_MB = Number(process.env.BENCH_LINK_MB ?? 512);

/** Run `script` on the laptop side of the link; its wall time and stdout. A failure stops the bench. */
export function onLink(link: LinkModel, script: string): { secs: number; out: string } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('ip', ['netns', 'exec', link.ns, 'bash', '-o', 'pipefail', '-c', script], {
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 1 << 20,
  });
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0)
    throw new Error(`command over the link failed: ${script}: ${r.stderr.toString()}`);
  return { secs, out: r.stdout.toString() };
}

/** OpenSSH to the test gateway through the link. */
export function sshVia(sim: GatewaySim, link: LinkModel): string {
  return `ssh -i ${sim.keyFile} -p ${link.port} -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR ${sim.user}@${link.host}`;
}

/**
 * Rates Rigger measures before choosing: the link (a send less an empty command; 2 MiB, or
 * 16 MiB when that was too quick to tell from the login's own time) and gunzip.
 */
export function measureRates(sim: GatewaySim, link: LinkModel, gz: string) {
  const ssh = sshVia(sim, link);
  const empty = onLink(link, `${ssh} true`).secs;
  const sendMiB = (mib: number) =>
    onLink(link, `head -c ${mib}M /dev/urandom | ${ssh} 'cat > /dev/null'`).secs - empty;
  let mib = 2;
  let secs = sendMiB(mib);
  if (secs < 1) secs = sendMiB((mib = 16));
  const linkRate = (mib * 1024 * 1024) / Math.max(0.001, secs);
  // The test gateway runs on this machine's CPU: its gunzip rate is this machine's.
  const t0 = process.hrtime.bigint();
  const r = spawnSync('sh', ['-c', `gzip -dc '${gz}' | wc -c`]);
  const gunzipRate =
    Number(r.stdout.toString().trim()) / (Number(process.hrtime.bigint() - t0) / 1e9);
  return { linkRate, gunzipRate };
}

const GOALS: Array<[LinkShape, string]> = [
  [{ mbit: 100, rttMs: 1 }, '<= 0.5x'],
  [{ mbit: 10, rttMs: 20 }, '<= 0.45x'],
];

/**
 * A full update over a real (shaped) link: the reference `cat IMG | ssh gw 'cat > SLOT'` plus
 * `ssh gw sha256sum SLOT`, against Rigger's choice (compression-choice.ts) from measured rates,
 * sent as the flash job will once wired: the gzip stream into the gateway's `gzip -dc | dd`, then
 * the gateway's read-back `head -c SIZE SLOT | sha256sum`, checked against the image.
 */
export async function benchLink(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'rigger-bench-link-'));
  const sim = await startGatewaySim({
    scheme: 'bootcount',
    booted: 'A',
    slotSize: (SIZE_MB + 16) * 1024 * 1024,
  });
  const lines = [
    `Full update of ${SIZE_MB} MiB (gzip ~2.5x) over a shaped link, with the gateway's read-back:`,
    `  (link: ${LINK_METHOD})`,
    '  (Rigger side measured on its modules: the choice, then the gzip stream into the gateway, until the flash job is wired to them)',
  ];
  try {
    const img = join(dir, 'full.img');
    const { size, gzSize } = makeCompressibleImage(img, SIZE_MB);
    const want = createHash('sha256').update(readFileSync(img)).digest('hex');
    const slot = join(sim.root, 'dev', 'mmcblk0p3');
    for (const [shape, goal] of GOALS) {
      const link = await startLinkModel(sim.port, shape);
      try {
        const ssh = sshVia(sim, link);
        const rates = measureRates(sim, link, `${img}.gz`);
        const choice = chooseCompression({ size, gzipSize: gzSize, ...rates });
        const reference = onLink(
          link,
          `cat ${img} | ${ssh} 'cat > ${slot}' && ${ssh} 'sha256sum ${slot}' >/dev/null`,
        ).secs;
        const send =
          choice.choice === 'gzip'
            ? `cat ${img}.gz | ${ssh} 'gzip -dc | dd of=${slot} bs=1M conv=notrunc 2>/dev/null'`
            : `cat ${img} | ${ssh} 'dd of=${slot} bs=1M conv=notrunc 2>/dev/null'`;
        const rigger = onLink(link, `${send} && ${ssh} 'head -c ${size} ${slot} | sha256sum'`);
        if (!rigger.out.startsWith(want)) throw new Error(`read-back mismatch: ${rigger.out}`);
        lines.push(
          ratioLine(
            `full update ${shape.mbit} Mbit/s ${shape.rttMs} ms (vs cat|ssh + sha256sum)`,
            rigger.secs,
            reference,
            goal,
          ),
          `  measured link ${(rates.linkRate / 1e6).toFixed(1)} MB/s, gunzip ${(rates.gunzipRate / 1e6).toFixed(1)} MB/s; ${choice.reason}`,
          `  bytes_on_wire ${choice.bytesOnWire}, bytes_written ${size}`,
        );
      } finally {
        await link.stop();
      }
    }
    return lines;
  } finally {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
