import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import { RiggerError } from '../../../shared/errors';
import { isEarlyRefusal } from '../images/early-signer';

/** What one multipart/form-data request held: its text fields, and what its file part became. */
export interface MultipartResult<T> {
  fields: Record<string, string>;
  file: T | null;
}

/** Is this request a multipart form (the seed's file uploads)? */
export function isMultipart(req: IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').startsWith('multipart/form-data');
}

/**
 * Read a multipart form as it streams: small text fields are collected, the one file part named
 * `fileField` is handed to `onFile` as a stream (never buffered whole). More than one file, too
 * many or too large fields are refused.
 */
export function readMultipart<T>(
  req: IncomingMessage,
  fileField: string,
  onFile: (filename: string, stream: Readable) => Promise<T>,
): Promise<MultipartResult<T>> {
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({
        headers: req.headers,
        limits: { files: 1, fields: 20, fieldSize: 64 * 1024, parts: 24 },
      });
    } catch (err) {
      reject(new RiggerError('VALIDATION_ERROR', `Not a usable form: ${(err as Error).message}`));
      return;
    }
    const fields: Record<string, string> = {};
    let file: Promise<T> | null = null;
    let failed = false;
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      req.unpipe(bb);
      // Refused while still arriving: the rest is not read (the server answers, then closes).
      if (isEarlyRefusal(err)) req.pause();
      else req.resume();
      reject(err);
    };
    bb.on('field', (name, value, info) => {
      if (info.valueTruncated)
        fail(new RiggerError('VALIDATION_ERROR', `Form field ${name} is too long`));
      else fields[name] = value;
    });
    bb.on('file', (name, stream, info) => {
      if (name !== fileField || file) {
        stream.resume();
        fail(
          new RiggerError('VALIDATION_ERROR', `Send the file as the form field "${fileField}"`, {
            field: name,
          }),
        );
        return;
      }
      file = onFile(info.filename ?? '', stream);
      file.catch(fail);
    });
    bb.on('filesLimit', () => fail(new RiggerError('VALIDATION_ERROR', 'Send one file at a time')));
    bb.on('fieldsLimit', () => fail(new RiggerError('VALIDATION_ERROR', 'Too many form fields')));
    bb.on('error', (err) =>
      fail(new RiggerError('VALIDATION_ERROR', `Broken form: ${(err as Error).message}`)),
    );
    bb.on('close', () => {
      if (failed) return;
      if (!file) return resolve({ fields, file: null });
      file.then((f) => resolve({ fields, file: f }), fail);
    });
    req.pipe(bb);
  });
}
