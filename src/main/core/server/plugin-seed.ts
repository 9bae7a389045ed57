import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createWriteStream, mkdirSync, openSync, rmSync } from 'node:fs';
import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Server as IoServer } from 'socket.io';
import { RiggerError, toErrorData } from '../../../shared/errors';
import type { TerminalLine } from '../../../shared/plugins';
import type { Core } from '../core';
import { handleNodeOta, type HttpAnswer } from '../nodes/http';
import { handlePluginOta, MAX_PLUGIN_ZIP_BYTES, type Upload } from '../plugins/http';
import { attachOtaNamespace } from '../plugins/ota-socket';
import { hostAllowed, tokenMatches } from './auth';
import { isMultipart, readMultipart } from './multipart';
import { readJson } from './rest';

const PLUGIN_PATH = /^\/(ota-update|ota-configure|ota-update-progress\/[^/]+\/?)$/;
const NODE_PATH = /^\/v\d+\/user\/nodes\//;
const MAX_JSON = 64 * 1024;

/** The seed's own HTTP paths for plugins and nodes, and the `/ota-update` Socket.IO namespace. */
export interface PluginSeed {
  /** Answer the request when it is one of the seeds' paths; false to let the server go on. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>;
  /** Attach the `/ota-update` namespace to the server; resolves what stops it. */
  attach(server: HttpServer, port: () => number): () => Promise<void>;
}

/**
 * The node seed sends `Authorization: {access_token}` as it is; the bearer form is taken too.
 * Never in the query: these paths are called by programs that can set a header.
 */
function seedToken(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  return h.startsWith('Bearer ') ? h.slice(7).trim() : h.trim();
}

function send(res: ServerResponse, a: HttpAnswer): void {
  res.writeHead(a.status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(JSON.stringify(a.body));
}

/** Stream the file part to `path`, refusing (and removing) it past `max` bytes. */
async function saveBounded(stream: Readable, path: string, max: number): Promise<void> {
  let size = 0;
  const bound = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      size += chunk.length;
      if (size > max)
        cb(
          new RiggerError('VALIDATION_ERROR', `The ZIP is larger than ${max} bytes`, {
            max_bytes: max,
            http_status: 413,
          }),
        );
      else cb(null, chunk);
    },
  });
  try {
    // Opened now, not lazily: a removal after a failure always finds the file.
    const out = createWriteStream(path, { fd: openSync(path, 'wx') });
    await pipeline(stream, bound, out);
  } catch (err) {
    rmSync(path, { force: true });
    stream.resume();
    throw err;
  }
}

/** The seeds ota-plugin-zip-api.md and node-ota-api.md over the core's plugins area. */
export function pluginSeed(
  core: Core,
  token: string,
  maxZipBytes = MAX_PLUGIN_ZIP_BYTES,
): PluginSeed {
  const { plugins, nodes } = core.plugins;
  const uploads = join(core.info.data_dir, 'tmp', 'plugin-uploads');

  /** The `ota_zip_file` part on disk (no file yet when the form named none). */
  async function receive(
    req: IncomingMessage,
  ): Promise<{ file?: Upload; fields: Record<string, string> }> {
    if (!isMultipart(req)) return { fields: {} };
    mkdirSync(uploads, { recursive: true });
    let saved = '';
    let part: Readable | null = null;
    try {
      const { fields, file } = await readMultipart(
        req,
        'ota_zip_file',
        async (filename, stream) => {
          if (!filename) {
            stream.resume();
            return { filename, path: '' };
          }
          part = stream;
          saved = join(uploads, `${randomBytes(8).toString('hex')}.zip`);
          await saveBounded(stream, saved, maxZipBytes);
          return { filename, path: saved };
        },
      );
      return { fields, file: file ?? undefined };
    } catch (err) {
      // A form that breaks after its file arrived (a second file, a field too long) leaves none.
      (part as Readable | null)?.destroy();
      if (saved) rmSync(saved, { force: true });
      throw err;
    }
  }

  async function plugin(req: IncomingMessage, path: string): Promise<HttpAnswer> {
    const method = req.method ?? 'GET';
    if (method !== 'POST') return handlePluginOta(plugins, { method, path }) ?? notAllowed(method);
    let got: { file?: Upload; fields: Record<string, string> };
    try {
      got = await receive(req);
    } catch (err) {
      const e = toErrorData(err);
      const status = typeof e.details.http_status === 'number' ? e.details.http_status : 400;
      return { status, body: { success: false, error: e.message, message: e.message } };
    }
    const answer = handlePluginOta(plugins, { method, path, ...got }) ?? notAllowed(method);
    const saved = got.file?.path;
    if (saved) {
      // The ZIP is read while the operation runs; it goes when the operation ends.
      const id = (answer.body as { update_id?: string }).update_id;
      if (answer.status === 200 && id)
        void plugins.wait(id).finally(() => rmSync(saved, { force: true }));
      else rmSync(saved, { force: true });
    }
    return answer;
  }

  async function node(req: IncomingMessage, url: URL): Promise<HttpAnswer> {
    let body: unknown;
    if (req.method === 'POST') {
      try {
        body = await readJson(req, MAX_JSON);
      } catch {
        return { status: 400, body: { status: 'failure', description: 'Invalid request body' } };
      }
    }
    const a = await handleNodeOta(nodes, {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      body,
    });
    return (
      a ?? {
        status: 404,
        body: { status: 'failure', description: `No such endpoint: ${url.pathname}` },
      }
    );
  }

  const notAllowed = (method: string): HttpAnswer => ({
    status: 405,
    body: {
      success: false,
      error: `${method} not allowed here`,
      message: `${method} not allowed here`,
    },
  });

  return {
    async handle(req, res, url) {
      const path = url.pathname;
      const isPlugin = PLUGIN_PATH.test(path);
      if (!isPlugin && !NODE_PATH.test(path)) return false;
      if (!tokenMatches(seedToken(req), token)) {
        const description = 'Missing or wrong access token';
        send(res, {
          status: 401,
          body: isPlugin
            ? { success: false, error: description, message: description }
            : { status: 'failure', description },
        });
        req.resume();
        return true;
      }
      send(res, isPlugin ? await plugin(req, path) : await node(req, url));
      return true;
    },
    attach(server, port) {
      const io = new IoServer(server, {
        serveClient: false,
        destroyUpgrade: false,
        // The same DNS-rebinding defence as the REST paths.
        allowRequest: (req, cb) => cb(null, hostAllowed(req, port())),
      });
      // Nothing is served on the default namespace: a client there is refused.
      io.use((_socket, next) => next(new Error('Connect to the /ota-update namespace')));
      const relay = new EventEmitter<{ line: [TerminalLine] }>();
      const forward = (l: TerminalLine) => relay.emit('line', l);
      plugins.lines.on('line', forward);
      attachOtaNamespace(io, {
        lines: relay,
        terminal: (id) => plugins.terminal(id),
        checkToken: (given) => tokenMatches(given, token),
      });
      return async () => {
        plugins.lines.off('line', forward);
        io.disconnectSockets(true);
        io.engine.close();
      };
    },
  };
}
