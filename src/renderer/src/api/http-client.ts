import type { ApiClient } from '../../../shared/api-client';
import type { RiggerEvent } from '../../../shared/events';
import { EventSocket, type SocketFactory, type SocketLike, type Timers } from './event-socket';
import { readAnswer, unreachable } from './http-errors';

/** The part of fetch the client uses; a test hands in a stand-in. */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string },
) => Promise<{ status: number; text(): Promise<string> }>;

export interface HttpClientOptions {
  /** The server's origin, e.g. `http://127.0.0.1:8123` (no trailing slash needed). */
  base: string;
  /** The bearer token `rigger serve` printed in the URL. */
  token: string;
  fetch?: FetchLike;
  /** Opens the event WebSocket; defaults to the browser's WebSocket. */
  openSocket?: SocketFactory;
  timers?: Timers;
}

/** The ApiClient with a way to close its event socket. */
export interface HttpApiClient extends ApiClient {
  close(): void;
}

/** Open a real browser WebSocket, seen through the SocketLike interface. */
const browserSocket: SocketFactory = (url) => new WebSocket(url) as unknown as SocketLike;

/** The WebSocket URL of the event stream for a server origin: http→ws, https→wss. */
export function eventsUrl(base: string, token: string): string {
  const origin = base.replace(/\/+$/, '').replace(/^http/, 'ws');
  return `${origin}/api/events?token=${encodeURIComponent(token)}`;
}

/**
 * The ApiClient in browser mode: `POST /api/call/<op>` with the bearer token and the input as
 * JSON; events over one WebSocket that reconnects with backoff.
 */
export function createHttpClient(options: HttpClientOptions): HttpApiClient {
  const base = options.base.replace(/\/+$/, '');
  const doFetch: FetchLike = options.fetch ?? ((url, init) => fetch(url, init));
  const events = new EventSocket({
    url: eventsUrl(base, options.token),
    open: options.openSocket ?? browserSocket,
    timers: options.timers,
  });

  /** A file the browser holds, streamed from disk as a multipart body: never read whole. */
  const upload = async (path: string, file: unknown, fields: Record<string, string>) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    const f = file as File;
    form.append('file', f, f.name);
    let res: Response;
    let text: string;
    try {
      res = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${options.token}` },
        body: form,
      });
      text = await res.text();
    } catch (err) {
      throw unreachable(err);
    }
    return readAnswer(res.status, text) as never;
  };

  return {
    async call(op, input) {
      let res: Awaited<ReturnType<FetchLike>>;
      let text: string;
      try {
        res = await doFetch(`${base}/api/call/${encodeURIComponent(op)}`, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            Authorization: `Bearer ${options.token}`,
          },
          body: JSON.stringify(input ?? {}),
        });
        text = await res.text();
      } catch (err) {
        throw unreachable(err);
      }
      return readAnswer(res.status, text) as never;
    },
    uploadImage: (file, fields = {}) => upload('/api/upload/import', file, fields),
    uploadBackup: (file, fields = {}) =>
      upload('/cloud-integration/backup/import', file, fields) as never,
    on(type, handler) {
      return events.on(type, handler as (e: RiggerEvent) => void);
    },
    onResync(handler) {
      return events.onReopen(handler);
    },
    close() {
      events.stop();
    },
  };
}
