import { EVENT_TYPES, type RiggerEvent } from '../../../shared/events';

/** The part of the browser's WebSocket the event socket uses (a test hands in a fake). */
export interface SocketLike {
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  close(): void;
}

export type SocketFactory = (url: string) => SocketLike;

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export interface EventSocketOptions {
  url: string;
  open: SocketFactory;
  timers?: Timers;
  /** First reconnect delay; it doubles on every failed attempt up to maxDelayMs. */
  initialDelayMs?: number;
  maxDelayMs?: number;
}

/** The delay before reconnect attempt `attempt` (0-based): doubling, capped. */
export function backoffDelay(attempt: number, initialMs = 500, maxMs = 15_000): number {
  return Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt));
}

/** A message from the server as a RiggerEvent, or null when it is not one. */
export function parseEvent(data: unknown): RiggerEvent | null {
  if (typeof data !== 'string') return null;
  try {
    const value = JSON.parse(data) as { type?: unknown };
    return typeof value === 'object' &&
      value !== null &&
      (EVENT_TYPES as readonly unknown[]).includes(value.type)
      ? (value as RiggerEvent)
      : null;
  } catch {
    return null;
  }
}

/**
 * One WebSocket for all event listeners, opened on the first subscription, closed after the
 * last, and reopened with backoff when it drops (the server restarts, the laptop sleeps).
 */
export class EventSocket {
  private readonly handlers = new Map<string, Set<(e: RiggerEvent) => void>>();
  private readonly reopenHandlers = new Set<() => void>();
  /** The socket dropped while listened to: events may have been missed until it reopens. */
  private dropped = false;
  private socket: SocketLike | null = null;
  private retryHandle: unknown = null;
  private attempt = 0;
  private readonly timers: Timers;

  constructor(private readonly options: EventSocketOptions) {
    this.timers = options.timers ?? {
      set: (fn, ms) => setTimeout(fn, ms),
      clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    };
  }

  /** Listen to one event type; returns the unsubscribe function. */
  on(type: string, handler: (e: RiggerEvent) => void): () => void {
    let set = this.handlers.get(type);
    if (!set) this.handlers.set(type, (set = new Set()));
    set.add(handler);
    this.ensureOpen();
    return () => {
      set.delete(handler);
      if (!set.size) this.handlers.delete(type);
      if (!this.handlers.size) this.stop();
    };
  }

  /**
   * Be told when the socket opens again after a drop (events sent meanwhile are lost); it does
   * not by itself keep a socket open. Returns the unsubscribe function.
   */
  onReopen(handler: () => void): () => void {
    this.reopenHandlers.add(handler);
    return () => {
      this.reopenHandlers.delete(handler);
    };
  }

  /** Is a socket open or being opened? */
  get active(): boolean {
    return this.socket !== null || this.retryHandle !== null;
  }

  private ensureOpen(): void {
    if (!this.active) this.connect();
  }

  private connect(): void {
    this.retryHandle = null;
    const ws = this.options.open(this.options.url);
    this.socket = ws;
    ws.onopen = () => {
      this.attempt = 0;
      if (!this.dropped) return;
      this.dropped = false;
      for (const h of [...this.reopenHandlers]) h();
    };
    ws.onmessage = (m) => {
      const event = parseEvent(m.data);
      if (!event) return;
      for (const h of [...(this.handlers.get(event.type) ?? [])]) h(event);
    };
    ws.onerror = () => undefined;
    ws.onclose = () => {
      if (this.socket !== ws) return;
      this.socket = null;
      if (!this.handlers.size) return;
      this.dropped = true;
      const delay = backoffDelay(
        this.attempt++,
        this.options.initialDelayMs,
        this.options.maxDelayMs,
      );
      this.retryHandle = this.timers.set(() => this.connect(), delay);
    };
  }

  /** Close the socket and cancel any pending reconnect. */
  stop(): void {
    if (this.retryHandle !== null) this.timers.clear(this.retryHandle);
    this.retryHandle = null;
    const ws = this.socket;
    this.socket = null;
    this.attempt = 0;
    this.dropped = false;
    ws?.close();
  }
}
