import type { IncomingMessage, ServerResponse } from 'node:http';
import { RiggerError } from '../../../shared/errors';
import { importInputSchema, type LibraryImage } from '../../../shared/images';
import { parseOrThrow } from '../../../shared/validation';
import type { Core } from '../core';
import { readMultipart } from './multipart';

/** A JSON body must be an object to be an operation's input. */
export function asObject(body: unknown): Record<string, unknown> {
  if (body && typeof body === 'object' && !Array.isArray(body))
    return body as Record<string, unknown>;
  throw new RiggerError('VALIDATION_ERROR', 'The request body must be a JSON object');
}

/**
 * A seed multipart upload as an operation's input: the file part streams into Rigger's upload
 * folder (bounded by the library's quota and the free space) or backup imports' own (bounded
 * by their limit and the free space), its saved name becomes the input
 * field `upload.as`, and the form's text fields come along as they are.
 */
export async function uploadInput(
  core: Core,
  req: IncomingMessage,
  upload: { field: string; as: string; into?: 'backup-imports' },
): Promise<Record<string, unknown>> {
  const length = Number(req.headers['content-length']);
  const { fields, file } = await readMultipart(req, upload.field, (filename, stream) => {
    if (!filename)
      throw new RiggerError('VALIDATION_ERROR', 'No file selected', { field: upload.field });
    return upload.into === 'backup-imports'
      ? core.backupImports.receive(filename, stream, Number.isFinite(length) ? length : null)
      : core.images.receiveUpload(filename, stream);
  });
  if (!file)
    throw new RiggerError('VALIDATION_ERROR', 'No file provided', { field: upload.field }, [
      `Send the file as the form field "${upload.field}"`,
    ]);
  return { ...fields, [upload.as]: file.name };
}

/** Where the browser sends a file for the library: multipart, the file as field `file`. */
export const UPLOAD_IMPORT_PATH = '/api/upload/import';

/**
 * A library import sent from the browser (its file picker or a drop): the file part streams into
 * the upload folder (bounded as every upload), then is imported as `images.import` would import
 * it (`unsigned` and `version` as form fields before the file, for a loose image) and removed.
 */
export async function importUploadRequest(core: Core, req: IncomingMessage): Promise<LibraryImage> {
  const { fields, file } = await readMultipart(req, 'file', (filename, stream) => {
    if (!filename) throw new RiggerError('VALIDATION_ERROR', 'No file selected', { field: 'file' });
    return core.images.receiveUpload(filename, stream);
  });
  if (!file)
    throw new RiggerError('VALIDATION_ERROR', 'No file provided', { field: 'file' }, [
      'Send the file as the form field "file"',
    ]);
  return core.images.importUploaded(file.name, () => {
    const opts = parseOrThrow(
      importInputSchema,
      {
        path: file.name,
        unsigned: fields.unsigned === 'true',
        ...(fields.version ? { version: fields.version } : {}),
      },
      'the import form',
    );
    return { unsigned: opts.unsigned, version: opts.version };
  });
}

/**
 * An upload refused while it still arrives: its answer goes out at once and the rest of the body
 * is never read. The socket is half-closed after the answer, so the client sees it and stops
 * sending, and dropped a moment later (a client still sending then gets a reset, not a hang).
 */
export function stopReadingAfterAnswer(req: IncomingMessage, res: ServerResponse): void {
  req.pause();
  res.once('finish', () => {
    req.socket.end();
    setTimeout(() => req.socket.destroy(), 5000).unref();
  });
}
