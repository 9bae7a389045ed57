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

/**
 * A live connection to a gateway, over SSH or a serial console. Everything above it (status,
 * boot schemes, updates) talks only to this, so it works the same over either transport.
 */
export interface GatewaySession {
  readonly kind: 'ssh' | 'console';
  /** Where it is connected, for messages: `root@10.0.0.5:22` or `/dev/ttyUSB0`. */
  readonly target: string;
  readonly closed: boolean;
  exec(command: string, options?: ExecOptions): Promise<ExecResult>;
  close(): Promise<void>;
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
