import type { ApiClient } from '../../../shared/api-client';
import { fromErrorData, isRiggerErrorData, RiggerError } from '../../../shared/errors';
import type { RiggerEvent } from '../../../shared/events';

type Fetch = (url: string, init: RequestInit) => Promise<Response>;

/** Turn an HTTP answer into the value, or throw the seed error it carries. */
export async function readAnswer(res: Response): Promise<unknown> {
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    throw new RiggerError('INTERNAL', `Rigger's server answered ${res.status} without JSON`);
  }
  if (res.ok) return body;
  throw isRiggerErrorData(body)
    ? fromErrorData(body)
    : new RiggerError('INTERNAL', `Rigger's server answered ${res.status}`);
}

/** The ApiClient in browser mode: POST /api/call/<op> with the token, events over a WebSocket. */
export function httpClient(
  base: string,
  token: string,
  fetchImpl: Fetch = (u, i) => fetch(u, i),
): ApiClient {
  const handlers = new Map<string, Set<(e: RiggerEvent) => void>>();
  let socket: WebSocket | null = null;
  let retry = 500;

  const connect = () => {
    const ws = new WebSocket(
      `${base.replace(/^http/, 'ws')}/api/events?token=${encodeURIComponent(token)}`,
    );
    socket = ws;
    ws.onopen = () => (retry = 500);
    ws.onmessage = (m) => {
      const event = JSON.parse(String(m.data)) as RiggerEvent;
      handlers.get(event.type)?.forEach((h) => h(event));
    };
    // Reconnect with backoff: the server may restart, the laptop may sleep.
    ws.onclose = () => {
      socket = null;
      if (handlers.size) setTimeout(connect, (retry = Math.min(retry * 2, 10_000)));
    };
  };

  return {
    async call(op, input) {
      let res: Response;
      try {
        res = await fetchImpl(`${base}/api/call/${op}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
          body: JSON.stringify(input ?? {}),
        });
      } catch (err) {
        throw new RiggerError(
          'INTERNAL',
          `Rigger's server cannot be reached: ${(err as Error).message}`,
          {},
          ['Check that `rigger serve` is still running'],
        );
      }
      return (await readAnswer(res)) as never;
    },
    on(type, handler) {
      const set = handlers.get(type) ?? new Set();
      handlers.set(type, set);
      set.add(handler as (e: RiggerEvent) => void);
      if (!socket && typeof WebSocket !== 'undefined') connect();
      return () => set.delete(handler as (e: RiggerEvent) => void);
    },
  };
}
