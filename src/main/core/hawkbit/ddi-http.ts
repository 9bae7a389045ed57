import http from 'node:http';
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import { RiggerError } from '../../../shared/errors';

/** Largest JSON answer Rigger reads from a hawkBit server. */
export const MAX_JSON_BYTES = 1024 * 1024;

export interface HttpOptions {
  /** `Authorization` header value (`GatewayToken …` or `Basic …`). */
  authorization: string;
  /** PEM of a private CA: the server's certificate must chain to it (and nothing else). */
  caPem?: string;
  timeoutMs?: number;
}

export interface HttpAnswer {
  status: number;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/** The agent a connection uses: a pinned CA where one is configured. */
export function agentFor(url: URL, caPem?: string): http.Agent | https.Agent | undefined {
  if (url.protocol !== 'https:') return undefined;
  return caPem ? new https.Agent({ ca: caPem, keepAlive: false }) : undefined;
}

/** Start a request and resolve with its response (the body left to read). */
export function open(
  method: string,
  url: URL,
  opts: HttpOptions,
  headers: Record<string, string> = {},
  body?: Buffer,
): Promise<IncomingMessage> {
  const lib = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(
      url,
      {
        method,
        agent: agentFor(url, opts.caPem),
        headers: {
          Authorization: opts.authorization,
          Accept: 'application/hal+json, application/json',
          ...(body ? { 'Content-Type': 'application/json;charset=UTF-8' } : {}),
          ...(body ? { 'Content-Length': String(body.length) } : {}),
          ...headers,
        },
        timeout: opts.timeoutMs ?? 30_000,
      },
      resolve,
    );
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url.host} in time`)));
    req.on('error', (err) =>
      reject(
        new RiggerError(
          'OTA_009',
          `The hawkBit server at ${url.host} cannot be reached: ${err.message}`,
          { url: url.origin, cause: err.message },
          ['Check the network and the server URL, then sync again: nothing is lost meanwhile'],
        ),
      ),
    );
    req.end(body);
  });
}

/** One request with a small body in and a bounded body out. */
export async function request(
  method: string,
  url: URL,
  opts: HttpOptions,
  headers: Record<string, string> = {},
  json?: unknown,
): Promise<HttpAnswer> {
  const res = await open(
    method,
    url,
    opts,
    headers,
    json === undefined ? undefined : Buffer.from(JSON.stringify(json)),
  );
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of res as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_JSON_BYTES) {
        res.destroy();
        throw new RiggerError('VALIDATION_ERROR', `The answer from ${url.host} is too large`, {
          url: url.href,
          limit: MAX_JSON_BYTES,
        });
      }
      parts.push(chunk);
    }
  } catch (err) {
    if (err instanceof RiggerError) throw err;
    throw new RiggerError('OTA_009', `The answer from ${url.host} broke off`, {
      url: url.href,
      cause: (err as Error).message,
    });
  }
  return { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) };
}
