import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { RiggerError } from '../../../shared/errors';
import { canStreamIn, shq, type GatewaySession } from '../gateways/session';
import type { Checkpoint, SlotTransfer, TransferArgs, TransferResult } from './contract';
import { abortError } from './retry';
import { chunks } from './sources';
import { sendFrom, throwIfWriteFailed, writeAttempts } from './streamed-write';

/**
 * The compressed full write: the library's stored gzip bytes go over the wire as they are and
 * the gateway decompresses them into the device (`gzip -dc | dd`, contract tools only). Rigger
 * decompresses the same bytes on the laptop as they leave, to hash what lands in the slot and
 * to journal checkpoints; the gateway's read-back of the whole slot still proves it.
 *
 * A deflate stream cannot be entered in the middle (its window and bit position are unknown
 * there), so after a dropped link the write goes on from the newest checkpoint the gateway
 * proves, as raw bytes when what is left is smaller than the whole compressed stream, else the
 * compressed stream starts again from byte 0 (a few bytes more, but fewer than raw).
 */
export const gzipStreamWrite: SlotTransfer = {
  name: 'gzip-stream-write',
  needs: ['streamIn'],
  carries: (plan) =>
    plan.wire === 'gzip' && plan.ranges.length === 1 && plan.ranges[0]!.kind === 'send',
  write: writeGzip,
};

/** Where a (resumed) attempt starts: raw from a proven offset, or the compressed stream from 0. */
export const resumeWay = (from: number, size: number, storedSize: number) =>
  from > 0 && size - from < storedSize ? 'raw' : 'gzip';

async function writeGzip(job: TransferArgs): Promise<TransferResult> {
  if (job.source.stored.compression !== 'gzip') {
    throw new RiggerError('INTERNAL', 'The compressed write needs a gzip image in the library', {
      source: job.source.id,
    });
  }
  return writeAttempts(job, (session, from, wire, remember) =>
    resumeWay(from, job.source.size, job.source.stored.size) === 'raw'
      ? sendFrom(job, session, from, wire, remember)
      : sendCompressed(job, session, wire, remember),
  );
}

/** Send the whole stored gzip stream; returns the SHA-256 of the bytes it decompresses to. */
async function sendCompressed(
  job: TransferArgs,
  session: GatewaySession,
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
  const gunzip = createGunzip();
  let localError: Error | null = null;
  gunzip.on('error', (e) => (localError = e));
  gunzip.on('data', (d: Buffer) => {
    let buf = d;
    // Split at checkpoint boundaries so each checkpoint hashes exactly its prefix.
    while (buf.length) {
      const take = Math.min(buf.length, nextCp - pos);
      hash.update(buf.subarray(0, take));
      buf = buf.subarray(take);
      pos += take;
      if (pos === nextCp) {
        const cp = { offset: pos, sha256: hash.copy().digest('hex') };
        remember(cp);
        job.onCheckpoint(cp);
        nextCp += job.every;
      }
    }
    const secs = (Date.now() - started) / 1000;
    job.onProgress(pos, secs > 0 ? Math.round(pos / secs) : 0, wire.bytes);
  });
  const ended = once(gunzip, 'end').catch(() => undefined);
  const cmd = `gzip -dc | dd of=${shq(job.device)} bs=65536 conv=notrunc,fsync`;
  const { stdin, done } = await session.execStream(cmd);
  async function* body(): AsyncGenerator<Buffer> {
    for await (const c of chunks(job.source.stored.open())) {
      if (job.signal.aborted) throw abortError();
      if (localError) throw localError;
      if (!gunzip.write(c)) await once(gunzip, 'drain');
      wire.bytes += c.length;
      yield c;
    }
    gunzip.end();
    await ended;
  }
  const sent = pipeline(Readable.from(body(), { objectMode: false }), stdin).then(
    () => null,
    (e: unknown) => e,
  );
  const [r, sendError] = await Promise.all([done, sent]);
  if (!gunzip.destroyed && !gunzip.writableEnded) gunzip.destroy();
  throwIfWriteFailed(cmd, r, sendError);
  if (localError) {
    throw new RiggerError(
      'OTA_007',
      'The gzip image in the library does not decompress',
      { cause: (localError as Error).message, where: 'library' },
      ['Verify the image in the library', 'Re-import it'],
    );
  }
  return hash.digest('hex');
}
