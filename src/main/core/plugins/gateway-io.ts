import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { RiggerError } from '../../../shared/errors';
import { canStream, type ExecResult, type GatewaySession } from '../gateways/session';

/** Bytes a session without streaming may be handed at once as standard input. */
export const MAX_BUFFERED_STDIN = 64 * 1024 * 1024;

export interface StreamingOptions {
  /** Standard input: streamed with backpressure where the session can, else buffered (bounded). */
  input?: Readable;
  /** Output as it comes (over SSH) or all at the end (a session that cannot stream). */
  onOutput?: (chunk: Buffer, stream: 'stdout' | 'stderr') => void;
  timeoutMs?: number;
}

async function buffered(input: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  let n = 0;
  for await (const c of input as AsyncIterable<Buffer>) {
    n += c.length;
    if (n > MAX_BUFFERED_STDIN)
      throw new RiggerError(
        'VALIDATION_ERROR',
        `This connection cannot stream; at most ${MAX_BUFFERED_STDIN} bytes can be sent at once`,
      );
    parts.push(c);
  }
  return Buffer.concat(parts);
}

/**
 * Bound a streamed command: past `ms` the command is signalled and its channel closed, and the
 * wait ends at once with COMMAND_TIMEOUT (root logins refuse signals; a channel whose command
 * lives on is left to the session, whose own exec kills by process group).
 */
function bounded<T>(
  done: Promise<T>,
  command: string,
  ms: number | undefined,
  channel: Readable | Writable,
): Promise<T> {
  if (!ms) return done;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const c = channel as unknown as { signal?: (s: string) => void; close?: () => void };
      try {
        c.signal?.('KILL');
        c.close?.();
      } catch {
        // Already closing.
      }
      reject(
        new RiggerError(
          'COMMAND_TIMEOUT',
          `No end of "${command}" within ${Math.round(ms / 1000)} s`,
          {
            command,
            timeout_ms: ms,
          },
        ),
      );
    }, ms);
  });
  return Promise.race([done, late]).finally(() => clearTimeout(timer));
}

/**
 * Run one command with streamed input and live output: the one place plugins and nodes touch
 * how a session streams. Over SSH the channel is also readable, so output is seen as it comes;
 * any other session gets its input buffered and its output at the end.
 */
export async function runStreaming(
  session: GatewaySession,
  command: string,
  opts: StreamingOptions = {},
): Promise<ExecResult> {
  if (!canStream(session)) {
    const stdin = opts.input ? await buffered(opts.input) : undefined;
    const r = await session.exec(command, { stdin, timeoutMs: opts.timeoutMs });
    if (r.stdout.length) opts.onOutput?.(r.stdout, 'stdout');
    if (r.stderr.length) opts.onOutput?.(r.stderr, 'stderr');
    return r;
  }
  if (!opts.input) {
    const { stdout, done } = await session.execRead(command);
    const out: Buffer[] = [];
    stdout.on('data', (c: Buffer) => {
      out.push(c);
      opts.onOutput?.(c, 'stdout');
    });
    const r = await bounded(done, command, opts.timeoutMs, stdout);
    if (r.stderr.length) opts.onOutput?.(r.stderr, 'stderr');
    return { ...r, stdout: Buffer.concat(out) };
  }
  const { stdin, done } = await session.execStream(command);
  // The SSH channel handed back as `stdin` is a duplex: its readable side is the command's output.
  (stdin as unknown as Readable).on('data', (c: Buffer) => opts.onOutput?.(c, 'stdout'));
  const sent = pipeline(opts.input, stdin).then(
    () => null,
    (e: unknown) => e,
  );
  const [r, sendError] = await bounded(Promise.all([done, sent]), command, opts.timeoutMs, stdin);
  if (r.stderr.length) opts.onOutput?.(r.stderr, 'stderr');
  // A command that exits early (a node refusing the image) breaks the pipe: its status says why.
  if (r.code === 0 && sendError) throw sendError;
  return r;
}
