import { RiggerError } from '../../../shared/errors';

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
      },
      ['Check the user name', 'Check the key file or password stored for this gateway'],
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
      },
      [
        "Check the network cable and the gateway's IP address",
        'Connect the serial console and use Recover',
      ],
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
    },
    [
      "Check the network cable and the gateway's IP address",
      'Connect the serial console and use Recover',
    ],
  );
}
