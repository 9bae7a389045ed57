import { createHash, type Hash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { RiggerError } from '../../../shared/errors';
import { canStreamIn, shq, type GatewaySession } from '../gateways/session';
import type { Checkpoint, SlotTransfer, TransferArgs, TransferResult } from './contract';
import { isFullWrite } from './plan';
import { BLOCK, newestOffset, provenOffset } from './read-back';
import { abortError, isLinkError, sleep } from './retry';
import { chunks } from './sources';

/**
 * The full write: the slot bytes streamed into the device over ONE command per attempt
 * (`dd seek=… conv=notrunc,fsync`), hashed on the way. A dropped link resumes from the newest
 * checkpoint the gateway proves by hashing its prefix, never blindly.
 */
export const streamedFullWrite: SlotTransfer = {
  name: 'streamed-full-write',
  needs: ['streamIn'],
  carries: (plan) => plan.wire === 'raw' && plan.ranges.length === 1,
  write: writeStreamed,
};

async function writeStreamed(job: TransferArgs): Promise<TransferResult> {
  if (!isFullWrite(job.plan, job.source.size)) {
    throw new RiggerError('INTERNAL', 'The streamed write carries only the full write', {
      reason: job.plan.reason,
    });
  }
  return writeAttempts(job, (session, from, wire, remember) =>
    sendFrom(job, session, from, wire, remember),
  );
}

/**
 * Attempts of one write until it is proven sent, each from the newest checkpoint the gateway
 * proves (`send` writes from there and returns the SHA-256 of the whole image); a dropped link is
 * retried with backoff up to the job's bound, then OTA_004 says the write can be resumed.
 */
export async function writeAttempts(
  job: TransferArgs,
  send: (
    session: GatewaySession,
    from: number,
    wire: { bytes: number },
    remember: (cp: Checkpoint) => void,
  ) => Promise<string>,
): Promise<TransferResult> {
  let known = [...job.known];
  const remember = (cp: Checkpoint) => (known = [...known, cp]);
  const resumedFrom: number[] = [];
  const wire = { bytes: 0 };
  let from = known.length
    ? await provenOffset((await job.link.open()).session, job.device, known)
    : 0;
  if (from) resumedFrom.push(from);
  for (let attempt = 0; ; attempt++) {
    let session: GatewaySession | null = null;
    try {
      session = (await job.link.open()).session;
      const sha256 = await send(session, from, wire, remember);
      return { sha256, resumedFrom, bytesOnWire: wire.bytes };
    } catch (err) {
      if (job.signal.aborted) throw abortError();
      if (!isLinkError(err, session) || attempt >= job.maxRetries) {
        if (isLinkError(err, session)) {
          throw new RiggerError(
            'OTA_004',
            `The link to the gateway kept dropping; the write stopped after ${attempt + 1} attempts`,
            { attempts: attempt + 1, cause: (err as Error).message, resumable: true },
            ['Check the network', 'Resume the job: it continues from the last proven checkpoint'],
          );
        }
        throw err;
      }
      job.link.drop();
      job.onLinkLost?.(err, attempt + 1, newestOffset(known));
      await sleep(job.backoffMs(attempt), job.signal);
      if (job.signal.aborted) throw abortError();
      try {
        from = await provenOffset((await job.link.open()).session, job.device, known);
      } catch {
        from = 0; // the reconnect itself failed: the next attempt retries it
        job.link.drop();
      }
      resumedFrom.push(from);
      job.onRetry(err, from);
    }
  }
}

/** Send the source from byte `from` on; returns the SHA-256 of all of it (the prefix re-read). */
export async function sendFrom(
  job: TransferArgs,
  session: GatewaySession,
  from: number,
  wire: { bytes: number },
  remember: (cp: Checkpoint) => void,
): Promise<string> {
  if (!canStreamIn(session)) {
    throw new RiggerError('INTERNAL', `The session to ${session.target} cannot stream a write`);
  }
  const hash = createHash('sha256');
  const started = Date.now();
  let pos = 0;
  let nextCp = job.every;
  const cmd = `dd of=${shq(job.device)} bs=${BLOCK} seek=${from / BLOCK} conv=notrunc,fsync`;
  const { stdin, done } = await session.execStream(cmd);
  const checkpoint = (h: Hash, offset: number) => {
    const cp = { offset, sha256: h.copy().digest('hex') };
    remember(cp);
    job.onCheckpoint(cp);
  };
  async function* body(): AsyncGenerator<Buffer> {
    for await (const c of chunks(job.source.open())) {
      if (job.signal.aborted) throw abortError();
      let buf = c;
      // Split at checkpoint boundaries so each checkpoint hashes exactly its prefix.
      while (buf.length) {
        const take = Math.min(buf.length, nextCp - pos);
        const part = buf.subarray(0, take);
        buf = buf.subarray(take);
        hash.update(part);
        const end = pos + take;
        if (end > from) {
          const out = pos >= from ? part : part.subarray(from - pos);
          wire.bytes += out.length;
          yield out;
        }
        pos = end;
        if (pos === nextCp) {
          if (pos > from) checkpoint(hash, pos);
          nextCp += job.every;
        }
        if (pos > from) {
          const secs = (Date.now() - started) / 1000;
          job.onProgress(pos, secs > 0 ? Math.round((pos - from) / secs) : 0, wire.bytes);
        }
      }
    }
  }
  const sent = pipeline(Readable.from(body(), { objectMode: false }), stdin).then(
    () => null,
    (e: unknown) => e,
  );
  // The command may fail (full disk) before everything is sent, which also breaks the pipe:
  // then the command's own exit status and message say what happened, not the broken pipe.
  const [r, sendError] = await Promise.all([done, sent]);
  throwIfWriteFailed(cmd, r, sendError);
  return hash.digest('hex');
}

/** The write command's own exit status and message, else the send's error, as a RiggerError. */
export function throwIfWriteFailed(
  cmd: string,
  r: { code: number | null; signal: string | null; stderr: Buffer },
  sendError: unknown,
): void {
  if (r.code === 0 && sendError) throw sendError;
  if (r.code !== 0) {
    const stderr = r.stderr.toString('utf8').slice(-1000);
    if (r.code === null && r.signal === null) {
      throw new RiggerError('HOST_UNREACHABLE', 'The link dropped during the write', { stderr });
    }
    const full = /no space|ENOSPC/i.test(stderr);
    throw new RiggerError(
      full ? 'OTA_003' : 'COMMAND_FAILED',
      full
        ? 'The slot ran out of space during the write'
        : `Writing the slot failed: ${stderr.trim()}`,
      { command: cmd, exit_code: r.code, stderr },
      full
        ? ["Check the profile's slot size against the device"]
        : ['Check the slot device on the gateway'],
    );
  }
}
