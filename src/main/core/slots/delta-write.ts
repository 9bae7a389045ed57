import { createHash, type Hash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { RiggerError } from '../../../shared/errors';
import { canStreamIn, run, shq, type GatewaySession } from '../gateways/session';
import type { Checkpoint, SlotTransfer, TransferArgs, TransferResult } from './contract';
import { isDelta, layoutOf, placeScript, roomFor, type DeltaLayout } from './delta-layout';
import { BLOCK, recent } from './read-back';
import { abortError } from './retry';
import { chunks } from './sources';
import { throwIfWriteFailed, writeAttempts } from './streamed-write';

/**
 * The delta write: `keep` ranges stay as the target slot holds them (proven by the gateway's
 * hash before the plan was made), `send` ranges travel (gzip when the plan says so) into a
 * staging area past the image in the target slot, and then the gateway places them and copies
 * the `copy` ranges from the booted slot with its own `dd`s, in order, in batches of a few
 * checkpoint spacings, each followed by its checkpoint.
 * A dropped link resumes: the staging from its newest proven stage checkpoint, the placing from
 * the newest proven prefix of the slot. The writer's read-back of the whole slot proves the mix.
 */
export const deltaWrite: SlotTransfer = {
  name: 'delta-write',
  needs: ['streamIn'],
  carries: (plan) => isDelta(plan),
  write: writeDelta,
};

/** What one read of the new image on the laptop gives: its hash, and its prefix's at checkpoints. */
interface LocalFacts {
  sha256: string;
  prefix: Map<number, string>;
}

/** Checkpoint spacings one placing command covers (64 MiB at the default 4 MiB). */
const PLACE_SPACINGS = 16;

/** Payload bytes the laptop may read ahead of the link. */
const READ_AHEAD = 64 * 1024 * 1024;

/** The share of the progress bar the staging takes; the gateway's placing is the rest. */
const STAGE_SHARE = 0.9;

async function writeDelta(job: TransferArgs): Promise<TransferResult> {
  const { profile } = await job.link.open();
  const target = Object.entries(profile.slots).find(([, s]) => s.device === job.device)?.[0];
  const layout = layoutOf(job.plan, job.source.size);
  if (!target || !roomFor(layout, profile, target as 'A' | 'B')) {
    throw new RiggerError('INTERNAL', 'The delta does not fit in the target slot', {
      device: job.device,
    });
  }
  const devices = {
    target: job.device,
    slots: { A: profile.slots.A.device, B: profile.slots.B.device },
  };
  let facts: LocalFacts | null = null;
  let staged = job.known.filter((c) => c.region === 'stage');
  return writeAttempts(job, async (session, from, wire, remember) => {
    const stageFrom = from > 0 ? layout.payload : await provenStage(session, job, layout, staged);
    if (!facts || stageFrom < layout.payload) {
      facts = await readAndStage(job, session, layout, stageFrom, wire, (cp) => {
        staged = [...staged, cp];
        remember(cp);
      });
    }
    await place(job, session, layout, devices, from, facts, wire, remember);
    return facts.sha256;
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
 * Read the new image once on the laptop: hash it (and its prefix at each checkpoint), and send
 * its `send` bytes from payload byte `stageFrom` on into the staging area. The payload's own
 * checkpoints fall at multiples of the checkpoint spacing; the last one covers all of it.
 */
async function readAndStage(
  job: TransferArgs,
  session: GatewaySession,
  layout: DeltaLayout,
  stageFrom: number,
  wire: { bytes: number },
  onStaged: (cp: Checkpoint) => void,
): Promise<LocalFacts> {
  const whole = createHash('sha256');
  const payloadHash = createHash('sha256');
  const prefix = new Map<number, string>();
  const sending = stageFrom < layout.payload;
  let pos = 0;
  let paid = 0; // payload bytes passed so far
  let nextCp = job.every;
  let nextStageCp = Math.floor(stageFrom / job.every) * job.every + job.every;
  let sendIdx = 0;
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
    for await (const c of chunks(job.source.open())) {
      if (job.signal.aborted) throw abortError();
      let buf = c;
      while (buf.length) {
        // Cut at the next checkpoint and at the edges of the next `send` range.
        const s = layout.sends[sendIdx];
        const edge = !s ? Infinity : pos < s.start ? s.start : s.start + s.length;
        const take = Math.min(buf.length, nextCp - pos, edge - pos);
        const part = buf.subarray(0, take);
        buf = buf.subarray(take);
        whole.update(part);
        if (s && pos >= s.start) {
          // Bytes of a `send` range: the payload, cut at its own checkpoints.
          let p = part;
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
        pos += take;
        if (s && pos === s.start + s.length) sendIdx++;
        if (pos === nextCp) {
          prefix.set(pos, whole.copy().digest('hex'));
          nextCp += job.every;
        }
      }
    }
    if (paid > stageFrom && paid % job.every !== 0) stageCp(payloadHash, paid);
  }
  if (!sending) {
    for await (const c of payload()) void c; // the laptop's read only: the stage is complete
  } else {
    await stage(job, session, layout, stageFrom, wire, payload(), release);
  }
  release(Infinity);
  return { sha256: whole.digest('hex'), prefix };
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
 * Let the gateway place the slot's bytes from `from` on, one command of `dd`s per batch, each
 * batch followed by its checkpoint (the new image's prefix hash there).
 */
async function place(
  job: TransferArgs,
  session: GatewaySession,
  layout: DeltaLayout,
  devices: Parameters<typeof placeScript>[2],
  from: number,
  facts: LocalFacts,
  wire: { bytes: number },
  remember: (cp: Checkpoint) => void,
): Promise<void> {
  const size = job.source.size;
  const started = Date.now();
  // Placing is local to the gateway and quick to redo: fewer, longer batches save a command
  // (a round trip and a shell) per checkpoint spacing, and a cut loses at most one batch.
  const span = job.every * PLACE_SPACINGS;
  for (let a = from; a < size; a += span) {
    if (job.signal.aborted) throw abortError();
    const b = Math.min(size, a + span);
    const lines = placeScript(job.plan, layout, devices, a, b);
    if (lines.length) {
      const script = ['set -e', ...lines].join('\n') + '\n';
      // The commands cross the link too: they count as bytes on the wire.
      wire.bytes += Buffer.byteLength(script);
      await run(session, 'sh -e', { stdin: script, timeoutMs: 600_000 });
    }
    const sha = facts.prefix.get(b);
    if (sha && b < size) {
      const cp = { offset: b, sha256: sha };
      remember(cp);
      job.onCheckpoint(cp);
    }
    const shown = Math.round(size * STAGE_SHARE + (b / size) * size * (1 - STAGE_SHARE));
    const secs = (Date.now() - started) / 1000;
    job.onProgress(shown, secs > 0 ? Math.round((b - from) / secs) : 0, wire.bytes);
  }
}
