import { closeSync, openSync, readSync } from 'node:fs';
import { toErrorData } from '../../../shared/errors';
import { OTA_UPLOAD_ERRORS } from '../../../shared/plugins';
import type { PluginService } from './service';

/** The most bytes an uploaded plugin ZIP may have; the server stops reading past it. */
export const MAX_PLUGIN_ZIP_BYTES = 512 * 1024 * 1024;

export interface HttpAnswer {
  status: number;
  body: unknown;
}

/** An uploaded `ota_zip_file`, already streamed to a file by the server (size-bounded). */
export interface Upload {
  /** The multipart part's file name; empty when the form was sent with no file chosen. */
  filename: string;
  path: string;
}

const fail = (status: number, error: string): HttpAnswer => ({
  status,
  body: { success: false, error, message: error },
});

/** Does the file start like a ZIP (a local header, or the end record of an empty one)? */
function looksLikeZip(path: string): boolean {
  const head = Buffer.alloc(4);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, 4, 0);
  } finally {
    closeSync(fd);
  }
  return (
    head.equals(Buffer.from('PK\x03\x04', 'latin1')) ||
    head.equals(Buffer.from('PK\x05\x06', 'latin1'))
  );
}

/** The seed's 400 answers for an upload, word for word; null when the upload is a ZIP. */
export function uploadProblem(file: Upload | undefined): HttpAnswer | null {
  if (!file) return fail(400, OTA_UPLOAD_ERRORS.noFile);
  if (!file.filename) return fail(400, OTA_UPLOAD_ERRORS.noFileSelected);
  if (!file.filename.toLowerCase().endsWith('.zip') || !looksLikeZip(file.path))
    return fail(400, OTA_UPLOAD_ERRORS.notZip);
  return null;
}

/**
 * The seed ota-plugin-zip-api.md's endpoints over the plugin service, free of any server:
 * `POST /ota-update`, `POST /ota-configure` (the server has parsed the multipart form: the file
 * and the `gateway` field) and `GET /ota-update-progress/<update_id>`. Null for other paths.
 */
export function handlePluginOta(
  plugins: PluginService,
  req: { method: string; path: string; file?: Upload; fields?: Record<string, string> },
): HttpAnswer | null {
  const progress = /^\/ota-update-progress\/([^/]+)\/?$/.exec(req.path);
  if (progress && req.method === 'GET') {
    const p = plugins.progress(decodeURIComponent(progress[1]!));
    if (p.status === 'not_found')
      return { status: 404, body: { ...p, error: OTA_UPLOAD_ERRORS.notFound } };
    return { status: 200, body: p };
  }
  const kind =
    req.path === '/ota-update' ? 'install' : req.path === '/ota-configure' ? 'configure' : null;
  if (!kind || req.method !== 'POST') return null;
  const problem = uploadProblem(req.file);
  if (problem) return problem;
  const gateway = req.fields?.gateway?.trim();
  if (!gateway) return fail(400, 'No gateway given: send the gateway field with the file');
  try {
    const unsigned = req.fields?.unsigned === 'true';
    return { status: 200, body: plugins[kind](gateway, req.file!.path, { unsigned }) };
  } catch (err) {
    const e = toErrorData(err);
    return fail(e.code === 'VALIDATION_ERROR' ? 400 : e.code === 'OTA_001' ? 409 : 500, e.message);
  }
}
