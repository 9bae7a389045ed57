import type { Readable, Writable } from 'node:stream';
import { RiggerError } from '../../../shared/errors';

/** What one command on the gateway gave back. `code` is null when it died by a signal. */
export interface ExecResult {
  code: number | null;
  signal: string | null;
  stdout: Buffer;
  stderr: Buffer;
}

export interface ExecOptions {
  /** Kill the command and fail with COMMAND_TIMEOUT after this long. */
  timeoutMs?: number;
  /** Bytes written to the command's standard input, then closed. */
  stdin?: Buffer | string;
}

/** A command whose standard input the caller streams; `done` settles when it exits. */
export interface StreamInCommand {
  stdin: Writable;
  done: Promise<ExecResult>;
}

/** A command whose standard output the caller reads; `done` settles when it exits (stdout empty). */
export interface StreamOutCommand {
  stdout: Readable;
  done: Promise<ExecResult>;
}

/**
 * What a session's transport can carry. Callers test these, never the shape of the object, so a
 * new transport (U-Boot's network, a node tool) says what it offers and everything above follows.
 */
export interface SessionCapabilities {
  /** A command's standard input streams with backpressure (`execStream`): an image into a slot. */
  readonly streamIn: boolean;
  /** A command's standard output streams as it comes (`execRead`): a slot or archive off it. */
  readonly streamOut: boolean;
  /** stdout arrives byte for byte; a terminal (the console) may change line ends and bytes. */
  readonly binaryOutput: boolean;
  /** stderr arrives apart from stdout; a console shell merges it into stdout. */
  readonly separateStderr: boolean;
  /** A command past its timeout is killed on the gateway; else it may still be running. */
  readonly killOnTimeout: boolean;
  /** Several commands may run at once; a console runs them one after another. */
  readonly concurrent: boolean;
}

/** A network shell (SSH): everything. */
export const SSH_CAPABILITIES: SessionCapabilities = Object.freeze({
  streamIn: true,
  streamOut: true,
  binaryOutput: true,
  separateStderr: true,
  killOnTimeout: true,
  concurrent: true,
});

/** A Linux shell typed into a serial console: one command at a time, text only, no streams. */
export const CONSOLE_CAPABILITIES: SessionCapabilities = Object.freeze({
  streamIn: false,
  streamOut: false,
  binaryOutput: false,
  separateStderr: false,
  killOnTimeout: false,
  concurrent: false,
});

/**
 * A live connection to a gateway, over SSH or a serial console. Everything above it (status,
 * boot schemes, updates) talks only to this, so it works the same over either transport. The
 * optional methods are there exactly when `capabilities` says so; `streaming()` checks it.
 */
export interface GatewaySession {
  readonly kind: 'ssh' | 'console';
  /** Where it is connected, for messages: `root@10.0.0.5:22` or `/dev/ttyUSB0`. */
  readonly target: string;
  readonly closed: boolean;
  readonly capabilities: SessionCapabilities;
  exec(command: string, options?: ExecOptions): Promise<ExecResult>;
  /** Present when `capabilities.streamIn`. */
  execStream?(command: string): Promise<StreamInCommand>;
  /** Present when `capabilities.streamOut`. */
  execRead?(command: string): Promise<StreamOutCommand>;
  close(): Promise<void>;
}

/** A session that streams both ways (what writing or reading a slot needs). */
export interface StreamingSession extends GatewaySession {
  execStream(command: string): Promise<StreamInCommand>;
  execRead(command: string): Promise<StreamOutCommand>;
}

/** Does the session declare a streamed standard input (and so carry `execStream`)? */
export const canStreamIn = (
  s: GatewaySession,
): s is GatewaySession & Pick<StreamingSession, 'execStream'> => s.capabilities.streamIn;

/** Does the session declare a streamed standard output (and so carry `execRead`)? */
export const canStreamOut = (
  s: GatewaySession,
): s is GatewaySession & Pick<StreamingSession, 'execRead'> => s.capabilities.streamOut;

/** Does the session declare both streams? */
export const canStream = (s: GatewaySession): s is StreamingSession =>
  canStreamIn(s) && canStreamOut(s);

/** The session as a streaming one, or a VALIDATION_ERROR naming what it cannot carry. */
export function streaming(s: GatewaySession, gateway: string): StreamingSession {
  if (canStream(s)) return s;
  throw new RiggerError(
    'VALIDATION_ERROR',
    'Writing an image needs an SSH connection',
    { gateway, transport: s.kind, capabilities: { ...s.capabilities } },
    ['Reach the gateway over SSH'],
  );
}

/** Quote a string for a POSIX shell (BusyBox ash included). */
export function shq(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Run a command and return its stdout as text; a non-zero exit is a COMMAND_FAILED error. */
export async function run(
  session: GatewaySession,
  command: string,
  options?: ExecOptions,
): Promise<string> {
  const r = await session.exec(command, options);
  if (r.code !== 0) {
    throw new RiggerError(
      'COMMAND_FAILED',
      `Command failed on ${session.target} (exit ${r.code ?? r.signal}): ${command}`,
      {
        command,
        exit_code: r.code,
        signal: r.signal,
        stderr: r.stderr.toString('utf8').slice(-2000),
      },
    );
  }
  return r.stdout.toString('utf8');
}
