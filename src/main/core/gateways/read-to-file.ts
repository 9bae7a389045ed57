import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { RiggerError } from '../../../shared/errors';
import type { ExecResult, StreamingSession } from './session';

/** At most `bytes` may arrive; past that the copy stops with `error(received)`. */
export interface ReadBound {
  bytes: number;
  error: (received: number) => RiggerError;
}

/**
 * Run a command whose standard output streams into `file` on this laptop (a slot image, an
 * archive), hashed and counted on the way, private (0600) from its first byte. A failed command
 * is `failure(result)`; a failed copy is its own error; more than `bound` is the bound's error
 * (the command dies with its channel). The caller removes `file` when this throws.
 */
export async function commandToFile(
  session: Pick<StreamingSession, 'execRead'>,
  command: string,
  file: string,
  onBytes: (bytes: number, speed: number) => void,
  failure: (r: ExecResult) => RiggerError,
  bound?: ReadBound,
): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  const started = Date.now();
  const { stdout, done } = await session.execRead(command);
  const count = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      bytes += chunk.length;
      if (bound && bytes > bound.bytes) return cb(bound.error(bytes));
      const secs = (Date.now() - started) / 1000;
      onBytes(bytes, secs > 0 ? bytes / secs : 0);
      cb(null, chunk);
    },
  });
  const copied = pipeline(stdout, count, createWriteStream(file, { mode: 0o600 })).then(
    () => null,
    (e: unknown) => e,
  );
  const copyError = await copied;
  if (bound && copyError instanceof Error && bytes > bound.bytes) {
    // Cut off at the bound: that is the reason; the command dies with its channel.
    stdout.destroy();
    done.catch(() => undefined);
    throw copyError;
  }
  const r = await done;
  if (r.code !== 0) throw failure(r);
  if (copyError) throw copyError;
  return { bytes, sha256: hash.digest('hex') };
}
