import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { createCore, type Core, type CoreOptions } from '../../../../src/main/core/core';
import { startServer, type RunningServer } from '../../../../src/main/core/server/server';

/** A JSON answer, read as JSON.parse gives it. */
export type Loose = ReturnType<typeof JSON.parse>;

/** A core in a fresh data folder behind the real browser-mode server. */
export interface Served {
  dataDir: string;
  core: Core;
  server: RunningServer;
  json(method: string, path: string, body?: unknown): Promise<{ status: number; body: Loose }>;
  form(
    path: string,
    file: Buffer,
    filename: string,
    fields?: Record<string, string>,
  ): Promise<{ status: number; body: Loose }>;
  raw(path: string): Promise<Response>;
  /** Messages of a WebSocket path, collected from now on. */
  listen(path: string): Promise<{ messages: Loose[]; close(): void }>;
  close(): Promise<void>;
}

/** Start a core and its server; the data folder may be prepared first by `prepare`. */
export async function serve(
  prepare?: (dataDir: string) => Promise<void>,
  options: Partial<CoreOptions> = {},
): Promise<Served> {
  const dataDir = mkdtempSync(join(tmpdir(), 'rigger-places-http-'));
  await prepare?.(dataDir);
  const core = createCore({ ...options, dataDir, mode: 'test' });
  const server = await startServer({ core });
  const base = server.url.replace(/\/$/, '');
  const auth = { Authorization: `Bearer ${server.token}` };
  const answer = async (r: Response) => ({ status: r.status, body: (await r.json()) as Loose });
  return {
    dataDir,
    core,
    server,
    async json(method, path, body) {
      return answer(
        await fetch(`${base}${path}`, {
          method,
          headers: { ...auth, ...(body ? { 'Content-Type': 'application/json' } : {}) },
          body: body ? JSON.stringify(body) : undefined,
        }),
      );
    },
    async form(path, file, filename, fields = {}) {
      const fd = new FormData();
      for (const [k, v] of Object.entries(fields)) fd.append(k, v);
      fd.append('file', new Blob([new Uint8Array(file)]), filename);
      return answer(await fetch(`${base}${path}`, { method: 'POST', headers: auth, body: fd }));
    },
    raw: (path) => fetch(`${base}${path}`, { headers: auth }),
    async listen(path) {
      const ws = new WebSocket(`${base.replace('http', 'ws')}${path}?token=${server.token}`);
      const messages: Loose[] = [];
      ws.on('message', (d) => messages.push(JSON.parse(String(d))));
      await new Promise((resolve, reject) => {
        ws.once('open', resolve);
        ws.once('error', reject);
      });
      return { messages, close: () => ws.close() };
    },
    async close() {
      await server.close();
      await core.close();
    },
  };
}

/** Wait until `f` holds (polling), or fail naming what was awaited. */
export async function until(what: string, f: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await f()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out: ${what}`);
}
