import { describe, expect, it } from 'vitest';
import {
  canStream,
  canStreamIn,
  CONSOLE_CAPABILITIES,
  SSH_CAPABILITIES,
  streaming,
  type GatewaySession,
} from '../../../../src/main/core/gateways/session';
import type { SerialLink } from '../../../../src/main/core/serial/link';
import { ConsoleShell } from '../../../../src/main/core/serial/shell-driver';

describe('declared session capabilities', () => {
  it('a console shell declares no streams, and a write refuses it by its declaration', () => {
    // No port is opened: only the shell's declaration is read.
    const shell = new ConsoleShell({ where: '/dev/ttyUSB0', isClosed: false } as SerialLink);
    expect(shell.capabilities).toEqual(CONSOLE_CAPABILITIES);
    expect(canStreamIn(shell)).toBe(false);
    expect(() => streaming(shell, 'gw')).toThrow(
      expect.objectContaining({
        code: 'VALIDATION_ERROR',
        details: expect.objectContaining({ transport: 'console' }),
      }),
    );
  });

  it('the declaration decides, not which methods an object happens to have', () => {
    const exec = () => Promise.reject(new Error('not run'));
    const withMethodsButUndeclared = {
      kind: 'ssh',
      target: 't',
      closed: false,
      capabilities: CONSOLE_CAPABILITIES,
      exec,
      execStream: exec,
      execRead: exec,
      close: async () => undefined,
    } satisfies GatewaySession;
    expect(canStream(withMethodsButUndeclared)).toBe(false);
    expect(canStream({ ...withMethodsButUndeclared, capabilities: SSH_CAPABILITIES })).toBe(true);
  });
});
