import { RiggerError } from '../../../shared/errors';

/** The next rung when the network is down: a page and a command that exist. */
const SERIAL_NEXT =
  "Connect the serial console: open Console in Rigger, or run 'rigger console PORT'";

/**
 * A key file that is not a private key ssh2 can use (a .pub file, PuTTY's .ppk, an unsupported
 * cipher): about the file, not the user name.
 */
export function keyFormatError(file: string | undefined, message: string): RiggerError {
  return new RiggerError(
    'AUTH_FAILED',
    `The key file ${file ?? '(none)'} is not a usable private key: ${message}`,
    { key_file: file, reason: 'key_format' },
    [
      'Choose the private key file (OpenSSH or PEM format), not the .pub file',
      'A PuTTY .ppk key: export it in OpenSSH format first (PuTTYgen: Conversions)',
    ],
  );
}

/** Turn ssh2's connection errors into errors a technician can act on. */
export function connectError(
  err: Error & { level?: string; code?: string },
  t: { host: string; port: number; user: string },
  timeoutMs: number,
): RiggerError {
  const where = `${t.host} port ${t.port}`;
  if (err.level === 'client-authentication') {
    return new RiggerError(
      'AUTH_FAILED',
      `The gateway at ${where} refused the login of user "${t.user}"`,
      {
        host: t.host,
        port: t.port,
        user: t.user,
        reason: 'auth_refused',
      },
      [
        'Check the user name',
        "Check that the gateway knows this key (its authorized_keys) or that the password is the gateway's",
      ],
    );
  }
  if (
    err.level === 'client-timeout' ||
    /timed out/i.test(err.message) ||
    err.code === 'ETIMEDOUT'
  ) {
    return new RiggerError(
      'HOST_UNREACHABLE',
      `No answer from ${where} within ${Math.round(timeoutMs / 1000)} s`,
      {
        host: t.host,
        port: t.port,
        timeout_ms: timeoutMs,
        reason: 'timeout',
      },
      ["Check the network cable and the gateway's IP address", SERIAL_NEXT],
    );
  }
  const reason =
    err.code === 'ECONNREFUSED'
      ? 'the connection was refused (no SSH server listening)'
      : err.code === 'EHOSTUNREACH' || err.code === 'ENETUNREACH'
        ? 'there is no route to it'
        : err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN'
          ? 'the name cannot be resolved'
          : err.message;
  return new RiggerError(
    'HOST_UNREACHABLE',
    `Cannot reach ${where}: ${reason}`,
    {
      host: t.host,
      port: t.port,
      cause: err.code ?? err.message,
      reason: 'unreachable',
    },
    ["Check the network cable and the gateway's IP address", SERIAL_NEXT],
  );
}
