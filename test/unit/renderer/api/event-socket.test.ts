import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  EventSocket,
  parseEvent,
  type SocketLike,
  type Timers,
} from '../../../../src/renderer/src/api/event-socket';
import { createHttpClient } from '../../../../src/renderer/src/api/http-client';

/** A fake WebSocket (named as such): the test opens, delivers and drops it by hand. */
class FakeSocket implements SocketLike {
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  closed = false;
  constructor(readonly url: string) {}
  close() {
    this.closed = true;
    this.onclose?.({});
  }
  /** The server dropped the connection. */
  drop() {
    this.onclose?.({});
  }
  deliver(value: unknown) {
    this.onmessage?.({ data: typeof value === 'string' ? value : JSON.stringify(value) });
  }
}

/** Fake timers (named as such): pending callbacks the test runs when it chooses. */
function fakeTimers() {
  const pending: Array<{ fn: () => void; ms: number; id: number }> = [];
  let next = 1;
  const timers: Timers = {
    set: (fn, ms) => {
      const id = next++;
      pending.push({ fn, ms, id });
      return id;
    },
    clear: (h) => {
      const i = pending.findIndex((p) => p.id === h);
      if (i >= 0) pending.splice(i, 1);
    },
  };
  const runNext = () => {
    const p = pending.shift();
    p?.fn();
    return p?.ms;
  };
  return { timers, pending, runNext };
}

function harness() {
  const sockets: FakeSocket[] = [];
  const t = fakeTimers();
  const es = new EventSocket({
    url: 'ws://h/api/events?token=t',
    open: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    timers: t.timers,
    initialDelayMs: 100,
    maxDelayMs: 1000,
  });
  return { es, sockets, ...t };
}

describe('event socket', () => {
  it('opens on the first listener and delivers only the events asked for', () => {
    const { es, sockets } = harness();
    expect(sockets).toHaveLength(0);
    const got: string[] = [];
    es.on('gateways_changed', (e) => got.push(e.type));
    expect(sockets).toHaveLength(1);
    sockets[0]!.deliver({ type: 'gateways_changed' });
    sockets[0]!.deliver({ type: 'job_complete', job_id: 'j' });
    sockets[0]!.deliver('not json');
    sockets[0]!.deliver({ type: 'made_up' });
    expect(got).toEqual(['gateways_changed']);
  });

  it('reconnects with doubling delays, capped, and resets after a good open', () => {
    const { es, sockets, runNext, pending } = harness();
    es.on('gateways_changed', () => undefined);
    sockets[0]!.drop();
    expect(runNext()).toBe(100);
    sockets[1]!.drop();
    expect(runNext()).toBe(200);
    sockets[2]!.drop();
    expect(runNext()).toBe(400);
    sockets[3]!.onopen?.({});
    sockets[3]!.drop();
    expect(pending[0]!.ms).toBe(100);
    expect(sockets).toHaveLength(4);
  });

  it('says events may have been missed when it opens again after a drop, not at the first open', () => {
    const { es, sockets, runNext } = harness();
    let resyncs = 0;
    es.onReopen(() => resyncs++);
    es.on('gateways_changed', () => undefined);
    sockets[0]!.onopen?.({});
    expect(resyncs).toBe(0);
    sockets[0]!.drop();
    runNext();
    sockets[1]!.drop();
    runNext();
    sockets[2]!.onopen?.({});
    expect(resyncs).toBe(1);
    // A socket closed on purpose (the last listener left) and opened again missed nothing.
    es.stop();
    es.on('job_complete', () => undefined);
    sockets[3]!.onopen?.({});
    expect(resyncs).toBe(1);
  });

  it('closes after the last listener leaves and does not reconnect', () => {
    const { es, sockets, pending } = harness();
    const off1 = es.on('gateways_changed', () => undefined);
    const off2 = es.on('job_complete', () => undefined);
    expect(sockets).toHaveLength(1);
    off1();
    expect(sockets[0]!.closed).toBe(false);
    off2();
    expect(sockets[0]!.closed).toBe(true);
    expect(pending).toHaveLength(0);
    expect(es.active).toBe(false);
  });

  it('is what the http client uses, with the token in the URL', () => {
    const sockets: FakeSocket[] = [];
    const client = createHttpClient({
      base: 'http://127.0.0.1:5',
      token: 'secret',
      fetch: async () => ({ status: 200, text: async () => '{}' }),
      openSocket: (url) => {
        const s = new FakeSocket(url);
        sockets.push(s);
        return s;
      },
      timers: fakeTimers().timers,
    });
    const got: unknown[] = [];
    const off = client.on('gateways_changed', (e) => got.push(e));
    expect(sockets[0]!.url).toBe('ws://127.0.0.1:5/api/events?token=secret');
    sockets[0]!.deliver({ type: 'gateways_changed' });
    expect(got).toEqual([{ type: 'gateways_changed' }]);
    off();
    expect(sockets[0]!.closed).toBe(true);
  });
});

describe('backoff and parsing', () => {
  it('doubles from the first delay up to the cap', () => {
    expect([0, 1, 2, 3, 10].map((n) => backoffDelay(n, 500, 15_000))).toEqual([
      500, 1000, 2000, 4000, 15_000,
    ]);
  });
  it('accepts only known event types', () => {
    expect(parseEvent('{"type":"gateways_changed"}')).toEqual({ type: 'gateways_changed' });
    expect(parseEvent('{"type":"x"}')).toBeNull();
    expect(parseEvent('[')).toBeNull();
    expect(parseEvent(42)).toBeNull();
  });
});
