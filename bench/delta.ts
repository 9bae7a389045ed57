import { randomBytes } from 'node:crypto';
import {
  closeSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blockIndexOf } from '../src/main/core/transfer/block-index';
import { describePlan, planDelta } from '../src/main/core/transfer/delta-plan';
import { deltaWireBytes } from '../src/main/core/transfer/update-mode';
import { startGatewaySim } from '../test/gateway-sim';
import { casyncBytes } from './delta-casync';
import { onLink, sshVia } from './link';
import { makeCompressibleImage } from './link-image';
import { LINK_METHOD, startLinkModel } from './link-model';

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

/**
 * A delta update with the old image in the target slot: the bytes Rigger's plan sends against
 * RAUC's adaptive block-hash-index (changed blocks + 32 bytes per 4 KiB block) and against
 * Debian's casync with the old image as seed (same run); then its time over the 100 Mbit/s link
 * model against Rigger's full update (gzip stream) over the same link, both with read-back.
 */
export async function benchDelta(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'rigger-bench-delta-'));
  const sim = await startGatewaySim({
    scheme: 'bootcount',
    booted: 'A',
    slotSize: (SIZE_MB + 16) * 1024 * 1024,
  });
  const lines = [
    `Delta update of ${SIZE_MB} MiB, 5% of 4 KiB blocks changed, old image in the target slot:`,
  ];
  try {
    const oldPath = join(dir, 'old.img');
    const { size } = makeCompressibleImage(oldPath, SIZE_MB);
    const old = readFileSync(oldPath);
    const oldIdx = blockIndexOf(old);
    const n = Math.ceil(size / BS);
    const slot = join(sim.root, 'dev', 'mmcblk0p3');
    const link = await startLinkModel(sim.port, { mbit: 100, rttMs: 1 });
    try {
      const ssh = sshVia(sim, link);
      // Rigger's full update over this link, as in the link bench: the yardstick for the delta's time.
      writeFileSync(slot, old);
      const full = onLink(
        link,
        `cat ${oldPath}.gz | ${ssh} 'gzip -dc | dd of=${slot} bs=1M conv=notrunc 2>/dev/null' && ${ssh} 'head -c ${size} ${slot} | sha256sum'`,
      ).secs;
      for (const [kind, blocks] of [
        ['random', randomBlocks(n, Math.round(n * 0.05))],
        ['clustered', clusteredBlocks(n, Math.round(n * 0.05))],
      ] as const) {
        const next = Buffer.from(old);
        for (const b of blocks) randomBytes(BS).copy(next, b * BS);
        const nextPath = join(dir, 'new.img');
        writeFileSync(nextPath, next);
        const plan = planDelta({ next: blockIndexOf(next), target: oldIdx, booted: oldIdx });
        const rigger = deltaWireBytes(plan);
        const rauc = plan.blocks.send * BS + 32 * n;
        const casync = casyncBytes(dir, oldPath, nextPath);
        // The blocks to send, one after the other, as they travel.
        const payload = join(dir, 'payload.bin');
        const fd = openSync(payload, 'w');
        for (const r of plan.ranges) if (r.kind === 'send') writeSync(fd, next, r.offset, r.length);
        closeSync(fd);
        writeFileSync(slot, old);
        const send = onLink(
          link,
          `cat ${payload} | ${ssh} 'cat > /tmp/rigger-delta-$$; rm -f /tmp/rigger-delta-$$'`,
        ).secs;
        // Applying the ranges on the gateway is the slot writer's part (not wired yet): done here
        // directly on the slot, untimed, so the timed read-back proves the resulting slot.
        const sfd = openSync(slot, 'r+');
        for (const r of plan.ranges)
          if (r.kind === 'send') writeSync(sfd, next, r.offset, r.length, r.offset);
        closeSync(sfd);
        const back = onLink(link, `${ssh} 'head -c ${size} ${slot} | sha256sum'`);
        if (!back.out.startsWith(blockIndexOf(next, BS).sha256))
          throw new Error(`delta read-back mismatch: ${back.out}`);
        const time = send + back.secs;
        lines.push(
          `  ${kind}: ${describePlan(plan)} (${plan.ranges.length} runs)`,
          bytesLine(`delta ${kind} bytes (vs RAUC block-hash-index)`, rigger, rauc, '<= 1.0x'),
          bytesLine(
            `delta ${kind} bytes (vs casync, old as seed)`,
            rigger,
            casync.bytes,
            '<= 1.0x',
          ),
          `${`delta ${kind} time (vs Rigger's full update)`.padEnd(44)} rigger ${time.toFixed(2)} s  reference ${full.toFixed(2)} s  ratio ${(time / full).toFixed(3)}x  (goal <= 0.2x)`,
        );
      }
    } finally {
      await link.stop();
    }
    lines.push(
      `  (time over the 100 Mbit/s link: ${LINK_METHOD}; the delta's time is the send and the gateway's read-back, without applying the runs on the gateway, which the flash job will do once wired)`,
    );
    return lines;
  } finally {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
