import { RiggerError } from '../../../shared/errors';
import type { Gateway } from '../../../shared/gateways';
import { CONSOLE_CAPABILITIES, type ExecOptions, type GatewaySession } from '../gateways/session';
import type { ConsoleService, Session } from './console-service';
import { ConsoleShell } from './shell-driver';

/** A gateway record reached over a serial console. */
export type SerialGateway = Gateway & {
  connection: Extract<Gateway['connection'], { type: 'serial' }>;
};

/** How long a booting kernel gets to reach its login prompt before Rigger gives up waiting. */
const BOOT_WAIT_MS = 120_000;

/** The record as a serial one, or a VALIDATION_ERROR for a gateway reached over SSH. */
export function asSerial(g: Gateway): SerialGateway {
  if (g.connection.type !== 'serial') {
    throw new RiggerError(
      'VALIDATION_ERROR',
      `Gateway "${g.name}" is reached over SSH, not a serial console`,
      { gateway: g.name },
      ['Use the SSH operations for it, or add its console as another gateway'],
    );
  }
  return g as SerialGateway;
}

/** The console login's password: from the environment variable or the record, per its auth. */
export function consolePassword(
  g: SerialGateway,
  stored: (g: Gateway) => string | undefined,
): string | undefined {
  const auth = g.connection.auth;
  if (auth.method === 'none') return undefined;
  if (auth.method === 'password-env') {
    const value = process.env[auth.password_env];
    if (value === undefined) {
      throw new RiggerError(
        'SECRET_UNAVAILABLE',
        `The console password of "${g.name}" is read from $${auth.password_env}, which is not set`,
        { gateway: g.name, variable: auth.password_env },
        [`export ${auth.password_env}=… before running Rigger`],
      );
    }
    return value;
  }
  return stored(g);
}

/** Where the console is now; a booting kernel is waited for until its login prompt. */
export async function settle(s: Session): Promise<Session['state']> {
  // Listen longer than a countdown's one-second tick: a newline sent into a countdown
  // would stop the boot, which only the technician decides.
  s.state = await s.uboot.detect(1500);
  if (s.state === 'kernel') {
    await s.link.waitFor(/login:\s*$/i, s.link.mark(), BOOT_WAIT_MS, 'the login prompt');
    s.state = 'login';
  }
  if (s.state === 'silent' || s.state === 'unknown') {
    throw new RiggerError(
      'HOST_UNREACHABLE',
      `Nothing sensible answers on ${s.link.where}: the console is ${s.state === 'silent' ? 'silent' : 'not at a prompt Rigger knows'}`,
      { port: s.link.where, state: s.state },
      [
        'Check the adapter is on the console port (TX to RX, RX to TX, GND)',
        'Power the gateway on, or press Enter in the Console terminal',
      ],
    );
  }
  if (s.state === 'garbled') {
    throw new RiggerError(
      'VALIDATION_ERROR',
      `The bytes on ${s.link.where} are garbled: the baud rate is probably wrong (${s.baud})`,
      { port: s.link.where, baud: s.baud },
      ['Try 115200, 57600, 38400 or 9600 baud in the gateway record'],
    );
  }
  return s.state;
}

/** Log in at the console (a shell prompt already there is used as it is). */
export async function shellOn(
  g: SerialGateway,
  s: Session,
  password: string | undefined,
): Promise<ConsoleShell> {
  const shell = new ConsoleShell(s.link);
  await shell.login(g.connection.user, password);
  s.state = 'shell';
  return shell;
}

/** Refuse what needs Linux while the console sits in U-Boot. */
export function needLinux(g: SerialGateway, state: Session['state']): void {
  if (state === 'uboot' || state === 'autoboot') {
    throw new RiggerError(
      'VALIDATION_ERROR',
      `${g.name} is in U-Boot (${state === 'uboot' ? 'at its prompt' : 'counting down'}): Linux is not running`,
      { gateway: g.name, state },
      [
        'Let it boot (reset it from the Console page), or',
        'use what works at U-Boot: switch slot, flash a slot, boot the recovery system',
      ],
    );
  }
}

/**
 * The logged-in shell as a gateway session shared with the terminal: each command waits its
 * turn on the console, and closing it leaves the port open (closing the console closes it).
 */
export function consoleSession(
  consoles: ConsoleService,
  s: Session,
  shell: ConsoleShell,
): GatewaySession {
  return {
    kind: 'console',
    capabilities: CONSOLE_CAPABILITIES,
    get target() {
      return s.link.where;
    },
    get closed() {
      return s.link.isClosed;
    },
    exec: (command: string, options?: ExecOptions) =>
      consoles.drive(s, () => shell.exec(command, options)),
    close: async () => undefined,
  };
}
