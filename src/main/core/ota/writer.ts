import { createHash, type Hash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { RiggerError } from '../../../shared/errors';
import { run, shq } from '../gateways/session';
import type { SshSession } from '../gateways/ssh-session';
import { chunks, type ImageSource } from './image-source';

/** dd's block size: seek offsets are counted in it, so checkpoints are multiples of it. */
export const BLOCK = 64 * 1024;

/** A point the gateway may prove it holds: the first `offset` bytes hash to `sha256`. */
export interface Checkpoint {
  offset: number;
  sha256: string;
}

export interface WriteJob {
  /** A live session; called again after a dropped link (it reconnects). */
  session(): Promise<SshSession>;
  /** Forget a dead session so the next call reconnects. */
  drop(): void;
  device: string;
  source: ImageSource;
  /** Checkpoint spacing in bytes (a multiple of BLOCK). */
  every: number;
  /** Checkpoints journaled by an earlier attempt or run, to resume from. */
  known: Checkpoint[];
  signal: AbortSignal;
  maxRetries: number;
  backoffMs(attempt: number): number;
  onProgress(bytes: number, speed: number): void;
  onCheckpoint(cp: Checkpoint): void;
  onRetry(err: unknown, resumeAt: number): void;
}

/**
 * The last `n` checkpoints, newest first: where a resume may start. Several, because the
 * newest ones sent may still have been in SSH window and socket buffers when the link died.
 */
export const recent = (cps: Checkpoint[], n = 16) =>
  [...cps].sort((a, b) => b.offset - a.offset).slice(0, n);

/** The gateway's own SHA-256 of the first `n` bytes of a device (rule 3's read-back). */
export async function gatewayPrefixHash(session: SshSession, device: string, n: number) {
  const out = await run(session, `head -c ${n} ${shq(device)} | sha256sum`, {
    timeoutMs: 3600_000,
  });
  return out.trim().split(/\s+/)[0] ?? '';
}

/** The largest known checkpoint the gateway proves it holds, or 0. */
export async function provenOffset(session: SshSession, device: string, known: Checkpoint[]) {
  for (const cp of recent(known)) {
    if (cp.offset === 0) continue;
    if ((await gatewayPrefixHash(session, device, cp.offset)) === cp.sha256) return cp.offset;
  }
  return 0;
}

/** Did this error come from the link (dropped, timed out) rather than from the gateway's answer? */
export const isLinkError = (err: unknown, session: SshSession | null) =>
  session?.closed === true ||
  (err instanceof RiggerError &&
    (err.code === 'HOST_UNREACHABLE' || err.code === 'COMMAND_TIMEOUT'));

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

/**
 * Stream the image into the device over ONE exec channel per attempt (`dd seek=… conv=notrunc,
 * fsync`), hashing everything on the way. A dropped link resumes from the newest checkpoint the
 * gateway proves by hashing its prefix, never blindly. Returns the SHA-256 of what was sent.
 */
export async function writeImage(
  job: WriteJob,
): Promise<{ sha256: string; resumedFrom: number[] }> {
  let known = [...job.known];
  const resumedFrom: number[] = [];
  let from = known.length ? await provenOffset(await job.session(), job.device, known) : 0;
  if (from) resumedFrom.push(from);
  for (let attempt = 0; ; attempt++) {
    let session: SshSession | null = null;
    try {
      session = await job.session();
      return {
        sha256: await sendFrom(job, session, from, (cp) => (known = [...known, cp])),
        resumedFrom,
      };
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
      job.drop();
      await sleep(job.backoffMs(attempt), job.signal);
      if (job.signal.aborted) throw abortError();
      try {
        from = await provenOffset(await job.session(), job.device, known);
      } catch {
        from = 0; // the reconnect itself failed: the next attempt retries it
        job.drop();
      }
      resumedFrom.push(from);
      job.onRetry(err, from);
    }
  }
}

/** The error a cancelled job's write ends with. */
export const abortError = () =>
  new RiggerError('OTA_013', 'The job was cancelled', { cancelled: true }, []);

async function sendFrom(
  job: WriteJob,
  session: SshSession,
  from: number,
  remember: (cp: Checkpoint) => void,
): Promise<string> {
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
        if (end > from) yield pos >= from ? part : part.subarray(from - pos);
        pos = end;
        if (pos === nextCp) {
          if (pos > from) checkpoint(hash, pos);
          nextCp += job.every;
        }
        if (pos > from) {
          const secs = (Date.now() - started) / 1000;
          job.onProgress(pos, secs > 0 ? Math.round((pos - from) / secs) : 0);
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
  return hash.digest('hex');
}
