import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { RiggerError } from '../../../shared/errors';
import type { ExecResult, StreamingSession } from './session';

/**
 * Run a command whose standard output streams into `file` on this laptop (a slot image, an
 * archive), hashed and counted on the way. A failed command is `failure(result)`; a failed copy
 * is its own error. The caller removes `file` when this throws.
 */
export async function commandToFile(
  session: Pick<StreamingSession, 'execRead'>,
  command: string,
  file: string,
  onBytes: (bytes: number, speed: number) => void,
  failure: (r: ExecResult) => RiggerError,
): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  const started = Date.now();
  const { stdout, done } = await session.execRead(command);
  const count = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      bytes += chunk.length;
      const secs = (Date.now() - started) / 1000;
      onBytes(bytes, secs > 0 ? bytes / secs : 0);
      cb(null, chunk);
    },
  });
  const copied = pipeline(stdout, count, createWriteStream(file)).then(
    () => null,
    (e: unknown) => e,
  );
  const [r, copyError] = await Promise.all([done, copied]);
  if (r.code !== 0) throw failure(r);
  if (copyError) throw copyError;
  return { bytes, sha256: hash.digest('hex') };
}
