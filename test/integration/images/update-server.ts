import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A real update server on 127.0.0.1: catalogs, bundles with Range, and faults on demand. */
export function updateServer(
  files: Record<string, Buffer | string>,
  faults: {
    cutAfter?: number;
    cutTimes?: number;
    /** Fail the first N requests of a path: a 503, then a dropped connection, alternately. */
    failFirst?: Record<string, number>;
  } = {},
) {
  let cuts = 0;
  const requests: Array<{ path: string; range?: string }> = [];
  const failures: Record<string, number> = {};
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push({ path, range: req.headers.range });
    const failed = failures[path] ?? 0;
    if (failed < (faults.failFirst?.[path] ?? 0)) {
      failures[path] = failed + 1;
      if (failed % 2 === 0) res.writeHead(503).end('busy');
      else req.socket.destroy();
      return;
    }
    const body = files[path];
    if (body === undefined) {
      res.writeHead(404).end('not found');
      return;
    }
    const buf = Buffer.isBuffer(body) ? body : Buffer.from(body);
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const start = m ? Number(m[1]) : 0;
    res.writeHead(m ? 206 : 200, {
      'Content-Length': buf.length - start,
      ...(m ? { 'Content-Range': `bytes ${start}-${buf.length - 1}/${buf.length}` } : {}),
    });
    const rest = buf.subarray(start);
    if (
      faults.cutAfter !== undefined &&
      cuts < (faults.cutTimes ?? 1) &&
      rest.length > faults.cutAfter
    ) {
      cuts++;
      res.write(rest.subarray(0, faults.cutAfter), () => res.destroy());
      return;
    }
    res.end(rest);
  });
  return new Promise<{ url: string; requests: typeof requests; close: () => Promise<void> }>(
    (resolve) =>
      server.listen(0, '127.0.0.1', () =>
        resolve({
          url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
          requests,
          close: () => new Promise((r) => server.close(() => r())),
        }),
      ),
  );
}

export type UpdateServer = Awaited<ReturnType<typeof updateServer>>;
