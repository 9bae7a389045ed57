import type { IncomingMessage, ServerResponse } from 'node:http';
import { RiggerError, toErrorData } from '../../../shared/errors';
import { httpStatusOf } from '../server/status-codes';

/** An error that also says which HTTP status carries it (403, 413, 429 have no code of their own). */
export class HttpError extends RiggerError {
  constructor(
    readonly status: number,
    base: RiggerError,
    readonly headers: Record<string, string> = {},
  ) {
    super(base.code, base.message, base.details, base.suggestedActions);
  }
}

/** Send a JSON answer; nothing is cached and the type is not sniffed. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  res.end(JSON.stringify(body));
}

/** Send an error in the seed's shape with the status it maps to. */
export function sendError(res: ServerResponse, err: unknown, requestId: string): void {
  const data = { ...toErrorData(err), request_id: requestId };
  if (data.code === 'INTERNAL')
    console.error(`device listener: internal error (${requestId})`, err);
  const status = err instanceof HttpError ? err.status : httpStatusOf(data.code);
  const headers = err instanceof HttpError ? err.headers : {};
  // A body left unread would otherwise keep the socket busy: close it after the answer.
  sendJson(
    res,
    status,
    data,
    req(res)?.complete === false ? { ...headers, Connection: 'close' } : headers,
  );
}

const req = (res: ServerResponse): IncomingMessage | undefined =>
  (res as ServerResponse & { req?: IncomingMessage }).req;

const tooLarge = (max: number) =>
  new HttpError(
    413,
    new RiggerError(
      'VALIDATION_ERROR',
      `The request body is larger than ${max} bytes`,
      { max_bytes: max },
      ['Send fewer metrics or events per request'],
    ),
  );

/** Read a JSON body of at most `max` bytes; larger ones are refused without reading them all. */
export async function readJsonBody(r: IncomingMessage, max: number): Promise<unknown> {
  const declared = Number(r.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > max) throw tooLarge(max);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of r as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) throw tooLarge(max);
    chunks.push(chunk);
  }
  if (size === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new RiggerError('VALIDATION_ERROR', 'The request body is not valid JSON', {}, [
      'Send Content-Type: application/json with a JSON object',
    ]);
  }
}
