import type { Readable, Writable } from 'node:stream';
import { RiggerError } from '../../../shared/errors';
import {
  canStreamIn,
  canStreamOut,
  type ExecResult,
  type GatewaySession,
} from '../gateways/session';

/**
 * The one place the backup area streams a command's output from a gateway: a session that
 * declares a streamed output (SSH today) carries `execRead`.
 */
export async function readCommandStream(
  session: GatewaySession,
  command: string,
): Promise<{ stdout: Readable; done: Promise<ExecResult> }> {
  if (!canStreamOut(session))
    throw new RiggerError(
      'VALIDATION_ERROR',
      `A backup streams files from the gateway, which needs an SSH connection (${session.target} is a ${session.kind})`,
      { kind: session.kind },
      ['Reach the gateway over SSH, then back it up'],
    );
  return session.execRead(command);
}

/** The one place the backup area streams a command's standard input (a restore's archive). */
export async function writeCommandStream(
  session: GatewaySession,
  command: string,
): Promise<{ stdin: Writable; done: Promise<ExecResult> }> {
  if (!canStreamIn(session))
    throw new RiggerError(
      'VALIDATION_ERROR',
      `A restore streams files to the gateway, which needs an SSH connection (${session.target} is a ${session.kind})`,
      { kind: session.kind },
      ['Reach the gateway over SSH, then restore'],
    );
  return session.execStream(command);
}
