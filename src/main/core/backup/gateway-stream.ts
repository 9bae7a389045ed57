import type { Readable, Writable } from 'node:stream';
import { RiggerError } from '../../../shared/errors';
import type { ExecResult, GatewaySession } from '../gateways/session';

/**
 * The one place the backup area streams a command's output from a gateway. Today only the SSH
 * session offers it (`execRead`); when sessions declare their capabilities, this is what changes.
 */
export async function readCommandStream(
  session: GatewaySession,
  command: string,
): Promise<{ stdout: Readable; done: Promise<ExecResult> }> {
  const s = session as GatewaySession & {
    execRead?: (c: string) => Promise<{ stdout: Readable; done: Promise<ExecResult> }>;
  };
  if (typeof s.execRead !== 'function')
    throw new RiggerError(
      'VALIDATION_ERROR',
      `A backup streams files from the gateway, which needs an SSH connection (${session.target} is a ${session.kind})`,
      { kind: session.kind },
      ['Reach the gateway over SSH, then back it up'],
    );
  return s.execRead(command);
}

/** The one place the backup area streams a command's standard input (a restore's archive). */
export async function writeCommandStream(
  session: GatewaySession,
  command: string,
): Promise<{ stdin: Writable; done: Promise<ExecResult> }> {
  const s = session as GatewaySession & {
    execStream?: (c: string) => Promise<{ stdin: Writable; done: Promise<ExecResult> }>;
  };
  if (typeof s.execStream !== 'function')
    throw new RiggerError(
      'VALIDATION_ERROR',
      `A restore streams files to the gateway, which needs an SSH connection (${session.target} is a ${session.kind})`,
      { kind: session.kind },
      ['Reach the gateway over SSH, then restore'],
    );
  return s.execStream(command);
}
