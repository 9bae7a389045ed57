import { createHash, type Hash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { RiggerError } from '../../../shared/errors';
import { canStreamIn, run, shq, type GatewaySession } from '../gateways/session';
import type { Checkpoint, SlotTransfer, TransferArgs, TransferResult } from './contract';
import type { BlockIndex } from '../transfer/block-index';
import { blockProver } from '../transfer/block-proof';
import { isDelta, layoutOf, placeScript, roomFor, type DeltaLayout } from './delta-layout';
import { BLOCK, recent } from './read-back';
import { abortError } from './retry';
import { chunks } from './sources';
import { throwIfWriteFailed, writeAttempts } from './streamed-write';

/**
 * The delta write: `keep` ranges stay as the target slot holds them (proven by the gateway's
 * hash, before the plan was made or beside the staging: `plan.prove`), `send` ranges travel (gzip when the plan says so) into a
 * staging area past the image in the target slot, and then the gateway places them and copies
 * the `copy` ranges from the booted slot with its own `dd`s, a few batches at once.
 * The laptop reads only the `send` bytes' way through the image and proves each of their blocks
 * against the new image's block index (which names the image's SHA-256).
 * A dropped link resumes the staging from its newest proven stage checkpoint; the placing,
 * which reads only the staging area and the booted slot, is simply done again. The writer's
 * read-back of the whole slot proves the mix.
 */
export const deltaWrite: SlotTransfer = {
  name: 'delta-write',
  needs: ['streamIn'],
  carries: (plan) => isDelta(plan) && !!plan.index,
  write: writeDelta,
};

/** Checkpoint spacings one placing command covers (64 MiB at the default 4 MiB). */
const PLACE_SPACINGS = 16;

/**
 * Placing commands run at once: the gateway's `dd`s are one process per run, so a delta of
 * thousands of scattered runs is bound by the gateway's CPU, and batches write disjoint ranges.
 */
const PLACE_AT_ONCE = 2;

/** Payload bytes the laptop may read ahead of the link. */
const READ_AHEAD = 64 * 1024 * 1024;

/** The share of the progress bar the staging takes; the gateway's placing is the rest. */
const STAGE_SHARE = 0.9;

async function writeDelta(job: TransferArgs): Promise<TransferResult> {
  const { profile } = await job.link.open();
  const target = Object.entries(profile.slots).find(([, s]) => s.device === job.device)?.[0];
  const layout = layoutOf(job.plan, job.source.size);
  const index = job.plan.index;
  if (!index || index.sha256 !== job.source.sha256 || index.size !== job.source.size) {
    throw new RiggerError('INTERNAL', "A delta needs the new image's own block index", {
      image: job.source.id,
    });
  }
  if (!target || !roomFor(layout, profile, target as 'A' | 'B')) {
    throw new RiggerError('INTERNAL', 'The delta does not fit in the target slot', {
      device: job.device,
    });
  }
  const devices = {
    target: job.device,
    slots: { A: profile.slots.A.device, B: profile.slots.B.device },
  };
  let staged = job.known.filter((c) => c.region === 'stage');
  return writeAttempts(job, async (session, _from, wire, remember) => {
    // The slots' proof runs on the gateway while the new blocks travel; placing waits for it.
    const proof = job.plan.prove?.(session);
    proof?.catch(() => undefined); // awaited below; a staging error must not leave it unheard
    const stageFrom = await provenStage(session, job, layout, staged);
    if (stageFrom < layout.payload) {
      await readAndStage(job, session, layout, index, stageFrom, wire, (cp) => {
        staged = [...staged, cp];
        remember(cp);
      });
    }
    await proof;
    await place(job, session, layout, devices, wire);
    // Every sent block was proven against the index of this image; the rest is the gateway's.
    return index.sha256;
  });
}

/** The newest stage checkpoint the gateway proves it holds (the whole payload counts as one). */
async function provenStage(
  session: GatewaySession,
  job: TransferArgs,
  layout: DeltaLayout,
  known: Checkpoint[],
): Promise<number> {
  for (const cp of recent(known)) {
    // A resume seeks in dd's blocks: only those offsets, or the whole payload, are places to go on.
    if (cp.offset === 0 || (cp.offset % BLOCK !== 0 && cp.offset !== layout.payload)) continue;
    const cmd = `dd if=${shq(job.device)} bs=${BLOCK} skip=${layout.stageAt / BLOCK} count=${Math.ceil(cp.offset / BLOCK)} 2>/dev/null | head -c ${cp.offset} | sha256sum`;
    const out = await run(session, cmd, { timeoutMs: 3600_000 });
    if (out.trim().split(/\s+/)[0] === cp.sha256) return cp.offset;
  }
  return 0;
}

/**
 * Read the new image's `send` bytes on the laptop, prove each of their blocks against the block
 * index, and send them from payload byte `stageFrom` on into the staging area. The payload's
 * checkpoints fall at multiples of the checkpoint spacing; the last one covers all of it.
 */
async function readAndStage(
  job: TransferArgs,
  session: GatewaySession,
  layout: DeltaLayout,
  index: BlockIndex,
  stageFrom: number,
  wire: { bytes: number },
  onStaged: (cp: Checkpoint) => void,
): Promise<void> {
  const payloadHash = createHash('sha256');
  const block = blockProver(index, job.sentMismatch);
  let paid = 0; // payload bytes passed so far
  let nextStageCp = Math.floor(stageFrom / job.every) * job.every + job.every;
  // The laptop reads ahead of the link: a stage checkpoint is told only once its bytes left
  // for the gateway (`release`), not when they were read.
  const pending: Checkpoint[] = [];
  const stageCp = (h: Hash, offset: number) =>
    pending.push({ offset, sha256: h.copy().digest('hex'), region: 'stage' });
  const release = (upTo: number) => {
    while (pending.length && pending[0]!.offset <= upTo) {
      const cp = pending.shift()!;
      onStaged(cp);
      job.onCheckpoint(cp);
    }
  };
  async function* payload(): AsyncGenerator<Buffer> {
    for await (const { at, bytes } of sendBytes(job, layout)) {
      block.update(at, bytes);
      let p = bytes;
      while (p.length) {
        const n = Math.min(p.length, nextStageCp - paid);
        const bit = p.subarray(0, n);
        p = p.subarray(n);
        payloadHash.update(bit);
        const end = paid + n;
        if (end > stageFrom) yield paid >= stageFrom ? bit : bit.subarray(stageFrom - paid);
        paid = end;
        if (paid === nextStageCp) {
          if (paid > stageFrom) stageCp(payloadHash, paid);
          nextStageCp += job.every;
        }
      }
    }
    block.end();
    if (paid > stageFrom && paid % job.every !== 0) stageCp(payloadHash, paid);
  }
  await stage(job, session, layout, stageFrom, wire, payload(), release);
  release(Infinity);
}

/** The `send` ranges' bytes in order, each piece with its offset in the image. */
async function* sendBytes(
  job: TransferArgs,
  layout: DeltaLayout,
): AsyncGenerator<{ at: number; bytes: Buffer }> {
  let pos = 0;
  let i = 0;
  for await (const c of chunks(job.source.open())) {
    if (job.signal.aborted) throw abortError();
    const end = pos + c.length;
    while (i < layout.sends.length) {
      const s = layout.sends[i]!;
      const a = Math.max(s.start, pos);
      const b = Math.min(s.start + s.length, end);
      if (a < b) yield { at: a, bytes: c.subarray(a - pos, b - pos) };
      if (s.start + s.length > end) break;
      i++;
    }
    pos = end;
    if (i >= layout.sends.length) return; // the rest of the image is kept or copied
  }
}

/** Stream the payload from `stageFrom` on into the staging area (through gzip when planned). */
async function stage(
  job: TransferArgs,
  session: GatewaySession,
  layout: DeltaLayout,
  stageFrom: number,
  wire: { bytes: number },
  bytes: AsyncGenerator<Buffer>,
  release: (payloadEnd: number) => void,
): Promise<void> {
  if (!canStreamIn(session)) {
    throw new RiggerError('INTERNAL', `The session to ${session.target} cannot stream a write`);
  }
  const gzip = job.plan.wire === 'gzip';
  const seek = (layout.stageAt + stageFrom) / BLOCK;
  const dd = `dd of=${shq(job.device)} bs=${BLOCK} seek=${seek} conv=notrunc,fsync`;
  const cmd = gzip ? `gzip -dc | ${dd}` : dd;
  const { stdin, done } = await session.execStream(cmd);
  async function* counted(src: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const c of src) {
      wire.bytes += c.length;
      yield c;
    }
  }
  const started = Date.now();
  let left = stageFrom;
  async function* leaving(src: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const c of src) {
      yield c;
      left += c.length;
      release(left);
      const secs = (Date.now() - started) / 1000;
      const shown = Math.round(job.source.size * STAGE_SHARE * (left / layout.payload));
      job.onProgress(shown, secs > 0 ? Math.round((left - stageFrom) / secs) : 0, wire.bytes);
    }
  }
  // Read ahead up to READ_AHEAD bytes: the laptop's decompression of the image goes on while
  // the link carries a cluster of new blocks, instead of taking turns with it.
  const body = Readable.from(bytes, { objectMode: false, highWaterMark: READ_AHEAD });
  const sent = (
    gzip
      ? pipeline(body, leaving, createGzip({ level: 1 }), counted, stdin)
      : pipeline(body, leaving, counted, stdin)
  ).then(
    () => null,
    (e: unknown) => e,
  );
  const [r, sendError] = await Promise.all([done, sent]);
  throwIfWriteFailed(cmd, r, sendError);
}

/**
 * Let the gateway place the slot's bytes: one command of `dd`s per batch of a few checkpoint
 * spacings, `PLACE_AT_ONCE` batches at a time. Placing reads only the staging area and the
 * booted slot, so a batch cut by a dropped link is simply placed again.
 */
async function place(
  job: TransferArgs,
  session: GatewaySession,
  layout: DeltaLayout,
  devices: Parameters<typeof placeScript>[2],
  wire: { bytes: number },
): Promise<void> {
  const size = job.source.size;
  const started = Date.now();
  const span = job.every * PLACE_SPACINGS;
  const scripts: string[] = [];
  for (let a = 0; a < size; a += span) {
    const lines = placeScript(job.plan, layout, devices, a, Math.min(size, a + span));
    if (lines.length) scripts.push(['set -e', ...lines].join('\n') + '\n');
  }
  let next = 0;
  let placed = 0;
  const worker = async () => {
    while (next < scripts.length) {
      if (job.signal.aborted) throw abortError();
      const script = scripts[next++]!;
      // The commands cross the link too: they count as bytes on the wire.
      wire.bytes += Buffer.byteLength(script);
      await run(session, 'sh -e', { stdin: script, timeoutMs: 600_000 });
      placed++;
      const shown = Math.round(
        size * (STAGE_SHARE + (1 - STAGE_SHARE) * (placed / scripts.length)),
      );
      const secs = (Date.now() - started) / 1000;
      job.onProgress(
        shown,
        secs > 0 ? Math.round(((placed / scripts.length) * size) / secs) : 0,
        wire.bytes,
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(PLACE_AT_ONCE, scripts.length) }, worker));
}
