import { fromErrorData, isRiggerErrorData, RiggerError } from '../../../shared/errors';

const RESTART_HINT = 'Check that `rigger serve` is still running, then reload this page';

/** Parse a body as JSON, or undefined when it is empty or not JSON. */
function parseJson(text: string): unknown {
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The value of a 2xx answer, or the RiggerError a non-2xx answer carries. A server error in the
 * seed's shape is rethrown as written; anything else is named for what the status means.
 */
export function readAnswer(status: number, bodyText: string): unknown {
  const body = parseJson(bodyText);
  if (status >= 200 && status < 300) {
    if (body === undefined && bodyText.trim()) {
      throw new RiggerError('INTERNAL', `Rigger's server answered ${status} without JSON`, {
        status,
      });
    }
    return body;
  }
  if (isRiggerErrorData(body)) throw fromErrorData(body);
  if (status === 401 || status === 403) {
    throw new RiggerError('UNAUTHORIZED', 'Missing or wrong access token', { status }, [
      'Open the URL that `rigger serve` printed, with its token',
    ]);
  }
  throw new RiggerError('INTERNAL', `Rigger's server answered ${status}`, { status }, [
    RESTART_HINT,
  ]);
}

/** A fetch that failed before any answer: the browser-mode server is gone or unreachable. */
export function unreachable(err: unknown): RiggerError {
  const reason = err instanceof Error ? err.message : String(err);
  return new RiggerError(
    'INTERNAL',
    `Rigger's server cannot be reached: ${reason}`,
    { cause: reason },
    [RESTART_HINT],
  );
}
