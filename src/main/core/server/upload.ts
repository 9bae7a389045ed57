import type { IncomingMessage } from 'node:http';
import { RiggerError } from '../../../shared/errors';
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
 * folder (bounded by the library's quota and the free space), its saved name becomes the input
 * field `upload.as`, and the form's text fields come along as they are.
 */
export async function uploadInput(
  core: Core,
  req: IncomingMessage,
  upload: { field: string; as: string },
): Promise<Record<string, unknown>> {
  const { fields, file } = await readMultipart(req, upload.field, (filename, stream) => {
    if (!filename)
      throw new RiggerError('VALIDATION_ERROR', 'No file selected', { field: upload.field });
    return core.images.receiveUpload(filename, stream);
  });
  if (!file)
    throw new RiggerError('VALIDATION_ERROR', 'No file provided', { field: upload.field }, [
      `Send the file as the form field "${upload.field}"`,
    ]);
  return { ...fields, [upload.as]: file.name };
}
