import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { RiggerError, toErrorData } from '../../../shared/errors';
import type { Core } from '../core';
import { hostAllowed, newToken, tokenMatches, tokenOf } from './auth';
import { BACKUP_UPDATES_PATH, eventFilter, sendBackupFile } from './backup-routes';
import { BACKUP_DOWNLOAD_PATH } from '../../../shared/backup-api';
import type { RiggerEvent } from '../../../shared/events';
import { applyGateway, findRoute, queryInput, readJson } from './rest';
import { backupChannels, sendBackupPlacesFile } from './backup-places-http';
import { isMultipart } from './multipart';
import { pluginSeed } from './plugin-seed';
import {
  asObject,
  importUploadRequest,
  stopReadingAfterAnswer,
  UPLOAD_IMPORT_PATH,
  uploadInput,
} from './upload';
import { isEarlyRefusal } from '../images/early-signer';
import { resolveStatic, sendStatic } from './static-files';
import { httpStatusOf } from './status-codes';

const MAX_BODY = 1024 * 1024;
const DEBUG_DOWNLOAD = '/cloud-integration/monitor/debug/download/';

/** Send a debug bundle made by `monitor.debug` from Rigger's debug folder (plain names only). */
function sendDebugBundle(res: ServerResponse, dir: string, name: string): void {
  const file = join(dir, name);
  if (!/^[A-Za-z0-9._-]+\.tar(\.gz)?$/.test(name) || !existsSync(file)) {
    sendJson(
      res,
      404,
      new RiggerError('NOT_FOUND', `No debug bundle ${name}: it may have expired`).toData(),
    );
    return;
  }
  res.writeHead(200, {
    'Content-Type': name.endsWith('.gz') ? 'application/gzip' : 'application/x-tar',
    'Content-Disposition': `attachment; filename="${name}"`,
    'Cache-Control': 'no-store',
  });
  createReadStream(file).pipe(res);
}
const EVENT_PATHS = new Set(['/api/events', '/cloud-integration/ws/updates', BACKUP_UPDATES_PATH]);
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export interface ServerOptions {
  core: Core;
  /** The built renderer; without it only the API is served. */
  staticDir?: string;
  port?: number;
  host?: string;
  token?: string;
  /** The largest plugin ZIP `POST /ota-update` takes (tests lower it). */
  maxPluginZipBytes?: number;
}

export interface RunningServer {
  url: string;
  /** The URL a person opens: with the token, which the page keeps and removes from the bar. */
  openUrl: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(JSON.stringify(body));
}

/** An error as the seed writes it, with the request's id to quote in a report. */
function sendError(res: ServerResponse, err: unknown, requestId: string): void {
  const data = { ...toErrorData(err), request_id: requestId };
  if (data.code === 'INTERNAL') console.error(`internal error (${requestId})`, err);
  sendJson(res, httpStatusOf(data.code), data);
}

/**
 * Browser mode: the built renderer and the core's API over HTTP + WebSocket on loopback only,
 * behind a random bearer token. Also answers the seed's `/cloud-integration/...` paths.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host)) {
    throw new RiggerError(
      'VALIDATION_ERROR',
      `Browser mode serves on this computer only; ${host} is not a loopback address`,
      { host },
    );
  }
  const token = options.token ?? newToken();
  const { core } = options;
  let port = 0;
  const seeds = pluginSeed(core, token, options.maxPluginZipBytes);

  const unauthorized = (res: ServerResponse) =>
    sendJson(
      res,
      401,
      new RiggerError('UNAUTHORIZED', 'Missing or wrong access token', {}, [
        'Open the URL that `rigger serve` printed, with its token',
      ]).toData(),
    );

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (!hostAllowed(req, port))
      return sendJson(res, 403, new RiggerError('UNAUTHORIZED', 'Unexpected Host header').toData());
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const path = url.pathname;
    if (await seeds.handle(req, res, url)) return;

    if (path.startsWith('/api/call/')) {
      if (req.method !== 'POST')
        return sendJson(res, 405, new RiggerError('VALIDATION_ERROR', 'Use POST').toData());
      if (!tokenMatches(tokenOf(req, url, false), token)) return unauthorized(res);
      const op = decodeURIComponent(path.slice('/api/call/'.length));
      return sendJson(res, 200, await core.callUntrusted(op, await readJson(req, MAX_BODY)));
    }
    if (path === UPLOAD_IMPORT_PATH) {
      if (!tokenMatches(tokenOf(req, url, false), token)) return unauthorized(res);
      if (req.method !== 'POST' || !isMultipart(req))
        return sendJson(
          res,
          405,
          new RiggerError('VALIDATION_ERROR', 'Use POST with a multipart form').toData(),
        );
      return sendJson(res, 200, await importUploadRequest(core, req));
    }
    if (path.startsWith(DEBUG_DOWNLOAD)) {
      if (!tokenMatches(tokenOf(req, url, true), token)) return unauthorized(res);
      return sendDebugBundle(
        res,
        join(core.info.data_dir, 'debug'),
        path.slice(DEBUG_DOWNLOAD.length),
      );
    }
    if (path.startsWith(BACKUP_DOWNLOAD_PATH)) {
      if (!tokenMatches(tokenOf(req, url, true), token)) return unauthorized(res);
      const id = decodeURIComponent(path.slice(BACKUP_DOWNLOAD_PATH.length));
      return sendBackupFile(core, res, id);
    }
    const found = findRoute(req.method ?? 'GET', path);
    if (found) {
      const { route, params } = found;
      if (!tokenMatches(tokenOf(req, url, false), token)) return unauthorized(res);
      if (req.method !== route.method)
        return sendJson(
          res,
          405,
          new RiggerError('VALIDATION_ERROR', `Use ${route.method}`).toData(),
        );
      let input: Record<string, unknown>;
      if (route.method === 'GET' || route.method === 'DELETE') input = queryInput(route, url);
      else if (route.upload && isMultipart(req)) input = await uploadInput(core, req, route.upload);
      else input = asObject(await readJson(req, MAX_BODY));
      input = { ...input, ...params };
      const output = await core.callUntrusted(route.op, await applyGateway(core, route, input));
      if (sendBackupPlacesFile(res, route.op, output)) return;
      return sendJson(res, 200, output);
    }
    if (path.startsWith('/api/') || path.startsWith('/cloud-integration/')) {
      return sendJson(res, 404, new RiggerError('NOT_FOUND', `No such endpoint: ${path}`).toData());
    }
    // The page and its assets hold no data: they load without the token; the API never does.
    const file =
      options.staticDir && req.method === 'GET' ? resolveStatic(options.staticDir, path) : null;
    if (!file)
      return sendJson(res, 404, new RiggerError('NOT_FOUND', `Not found: ${path}`).toData());
    sendStatic(res, file);
  };

  const server = createHttpServer((req, res) => {
    const requestId = `req_${randomBytes(6).toString('hex')}`;
    res.setHeader('X-Request-Id', requestId);
    handle(req, res).catch((err) => {
      if (isEarlyRefusal(err)) stopReadingAfterAnswer(req, res);
      sendError(res, err, requestId);
    });
  });

  const stopOtaSocket = seeds.attach(server, () => port);
  const wss = new WebSocketServer({ noServer: true });
  const sockets = new Map<WebSocket, (event: RiggerEvent) => boolean>();
  const backup = backupChannels(core);
  const unsubscribe = core.events.onAny((event) => {
    const text = JSON.stringify(event);
    for (const [s, wants] of sockets) if (s.readyState === s.OPEN && wants(event)) s.send(text);
  });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname.startsWith('/socket.io/')) return; // the /ota-update namespace's own
    const origin = req.headers.origin;
    const originOk =
      !origin || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
    if (
      (!EVENT_PATHS.has(url.pathname) && !backup.handles(url.pathname)) ||
      !hostAllowed(req, port) ||
      !originOk ||
      !tokenMatches(tokenOf(req, url, true), token)
    ) {
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (backup.handles(url.pathname)) return backup.add(ws, url.pathname);
      sockets.set(ws, eventFilter(url.pathname));
      ws.on('close', () => sockets.delete(ws));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/`;
  return {
    url,
    openUrl: `${url}?token=${token}`,
    token,
    port,
    async close() {
      unsubscribe();
      await stopOtaSocket();
      for (const s of sockets.keys()) s.terminate();
      backup.close();
      wss.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
