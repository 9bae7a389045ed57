import { RiggerError } from '../../../shared/errors';
import { loadSerialPort } from '../util/native';
import { normalizePortPath } from './adapters';

/** The byte pipe a console runs over: a serial port (or a pty, in tests). */
export interface RawPort {
  write(data: Buffer | string): unknown;
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  off(event: 'data', listener: (chunk: Buffer) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  close(cb?: (err?: Error | null) => void): unknown;
}

/** A guard armed on a link: see `SerialLink.guard`. */
interface Guard {
  pattern: RegExp;
  from: number;
  /** Where the next scan starts (less an overlap: a match may straddle two chunks). */
  scanned: number;
  error: (seen: string) => Error;
  /** What ends the guard quietly if it arrives first (the command is over). */
  until?: RegExp;
  /** Where the pattern matched (an offset in what was received), once it has. */
  trippedAt: number | null;
}

/** How far back a guard re-scans when a chunk arrives: a match may start in the previous chunk. */
const GUARD_OVERLAP = 256;

/**
 * A console link: everything received is kept (for the capture and for matching), and a
 * caller can wait for a pattern in what arrives after a mark. Every wait is bounded.
 */
export class SerialLink {
  private received = '';
  private waiters = new Set<() => void>();
  private guards = new Set<Guard>();
  private closed = false;
  /** Everything that came in, for the session capture (a debug bundle includes it). */
  readonly capture: string[] = [];
  private listeners = new Set<(chunk: Buffer) => void>();

  constructor(
    readonly port: RawPort,
    readonly where: string,
  ) {
    port.on('data', (chunk: Buffer) => {
      const text = chunk.toString('latin1');
      this.received += text;
      this.capture.push(text);
      this.scanGuards();
      for (const l of this.listeners) l(chunk);
      for (const w of this.waiters) w();
    });
    const gone = () => {
      this.closed = true;
      for (const w of this.waiters) w();
    };
    port.on('close', gone);
    // A pulled adapter (or a dead pty) errors instead of closing: the link is gone either way.
    port.on('error', gone);
  }

  /** Where the next `waitFor` starts looking. */
  mark(): number {
    return this.received.length;
  }

  /** What arrived since `from`. */
  since(from: number): string {
    return this.received.slice(from);
  }

  write(data: Buffer | string): void {
    if (this.closed) throw this.gone();
    const tripped = this.tripped();
    if (tripped) throw this.deliver(tripped);
    this.port.write(data);
  }

  /**
   * Arm a guard: from `from` on, `pattern` arriving means what the caller waits for will not
   * come (e.g. the board restarted in the middle of a command). Once it matched, every wait
   * pending then (or started before the guard is spent) rejects with `error(text since from)`,
   * unless its own pattern matched before the guard's; with no wait pending, the next write
   * throws it. Delivered once, the guard is spent. If `until` arrives before `pattern`, the
   * guard ends quietly. Returns the disarm function.
   */
  guard(pattern: RegExp, from: number, error: (seen: string) => Error, until?: RegExp): () => void {
    const g: Guard = { pattern, from, scanned: from, error, until, trippedAt: null };
    this.guards.add(g);
    this.scanGuards();
    return () => void this.guards.delete(g);
  }

  private scanGuards(): void {
    for (const g of this.guards) {
      if (g.trippedAt !== null) continue;
      const start = Math.max(g.from, g.scanned - GUARD_OVERLAP);
      const text = this.received.slice(start);
      const m = g.pattern.exec(text);
      const u = g.until?.exec(text);
      if (u && (!m || u.index < m.index)) this.guards.delete(g);
      else if (m) g.trippedAt = start + m.index;
      else g.scanned = this.received.length;
    }
  }

  /** The first guard whose pattern has arrived. */
  private tripped(): Guard | undefined {
    let first: Guard | undefined;
    for (const g of this.guards) {
      if (g.trippedAt !== null && (!first || g.trippedAt < first.trippedAt!)) first = g;
    }
    return first;
  }

  /** A tripped guard's error; the guard is spent once every wait woken with it has seen it. */
  private deliver(g: Guard): Error {
    queueMicrotask(() => this.guards.delete(g));
    return g.error(this.received.slice(g.from));
  }

  on(_event: 'data', listener: (chunk: Buffer) => void): void {
    this.listeners.add(listener);
  }

  off(_event: 'data', listener: (chunk: Buffer) => void): void {
    this.listeners.delete(listener);
  }

  /** Wait until `pattern` matches what arrived since `from`; the text up to the end of the match. */
  waitFor(pattern: RegExp, from: number, timeoutMs: number, what: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const text = this.received.slice(from);
        const m = pattern.exec(text);
        const tripped = this.tripped();
        // The guard's news came first (or the wait's answer has not come at all): it wins.
        if (tripped && (!m || tripped.trippedAt! < from + m.index + m[0].length)) {
          const err = this.deliver(tripped);
          return done(() => reject(err));
        }
        if (m) return done(() => resolve(text.slice(0, m.index + m[0].length)));
        if (this.closed) return done(() => reject(this.gone()));
      };
      const timer = setTimeout(
        () =>
          done(() =>
            reject(
              new RiggerError(
                'COMMAND_TIMEOUT',
                `No ${what} on ${this.where} within ${Math.round(timeoutMs / 1000)} s`,
                { port: this.where, received: this.received.slice(from).slice(-400) },
                [
                  'Check the cable and that the gateway is powered',
                  'Check the baud rate (115200 8N1 is usual; try 57600 or 9600 if the text is garbled)',
                ],
              ),
            ),
          ),
        timeoutMs,
      );
      const done = (fn: () => void) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        fn();
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Wait until nothing more arrives for `quietMs` (bounded by `maxMs`); what came meanwhile. */
  async quiet(quietMs: number, maxMs: number): Promise<string> {
    const from = this.mark();
    const end = Date.now() + maxMs;
    let last = this.received.length;
    let lastChange = Date.now();
    while (Date.now() < end) {
      await new Promise((r) => setTimeout(r, 50));
      if (this.received.length !== last) {
        last = this.received.length;
        lastChange = Date.now();
      } else if (Date.now() - lastChange >= quietMs) break;
    }
    return this.since(from);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Close the port; a port whose device is already gone may never answer, so it is bounded. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, 2000);
      t.unref?.();
      try {
        this.port.close(() => (clearTimeout(t), resolve()));
      } catch {
        clearTimeout(t);
        resolve();
      }
    });
  }

  private gone(): RiggerError {
    return new RiggerError(
      'HOST_UNREACHABLE',
      `The serial console ${this.where} closed (cable unplugged?)`,
      { port: this.where },
      ['Plug the adapter back in and open the console again'],
    );
  }
}

/** Open a serial port (a USB adapter, a COM port, or a pty) as a console link. */
export async function openSerial(path: string, baudRate = 115200): Promise<SerialLink> {
  const { SerialPort } = loadSerialPort();
  const where = normalizePortPath(path);
  const port = await new Promise<InstanceType<typeof SerialPort>>((resolve, reject) => {
    const p = new SerialPort(
      { path: where, baudRate, dataBits: 8, parity: 'none', stopBits: 1 },
      (err) => (err ? reject(err) : resolve(p)),
    );
  }).catch((err: Error) => {
    const busy = /busy|locked|EBUSY|Access denied/i.test(err.message);
    throw new RiggerError(
      'HOST_UNREACHABLE',
      busy
        ? `Serial port ${where} is in use by another program`
        : `Cannot open serial port ${where}: ${err.message}`,
      { port: where, cause: err.message },
      busy
        ? ['Close the other terminal program (screen, minicom, PuTTY) and try again']
        : ['Check that the adapter is plugged in and pick it from the detected ports'],
    );
  });
  return new SerialLink(port as unknown as RawPort, where);
}
