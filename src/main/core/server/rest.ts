import type { IncomingMessage } from 'node:http';
import { operations, REST_ROUTES, type RestRoute } from '../../../shared/api';
import { RiggerError } from '../../../shared/errors';
import type { Core } from '../core';

/** The input keys an operation's schema accepts (empty when it is not a plain object schema). */
function inputKeys(route: RestRoute): Set<string> {
  const schema = operations[route.op].input as unknown as { shape?: Record<string, unknown> };
  return new Set(Object.keys(schema.shape ?? {}));
}

/** Does a route's path match, and with which `{name}` segments? */
function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    if (w.startsWith('{') && w.endsWith('}')) {
      if (!got[i]) return null;
      params[w.slice(1, -1)] = decodeURIComponent(got[i]!);
    } else if (w !== got[i]) return null;
  }
  return params;
}

/**
 * The seed REST route for a path: the one of this method when there is one, else any (so the
 * caller can answer 405 naming the method to use); fixed paths win over `{name}` ones.
 */
export function findRoute(
  method: string,
  path: string,
): { route: RestRoute; params: Record<string, string> } | null {
  let other: { route: RestRoute; params: Record<string, string> } | null = null;
  for (const route of REST_ROUTES) {
    const params = matchPath(route.path, path);
    if (!params) continue;
    if (route.method === method) return { route, params };
    other ??= { route, params };
  }
  return other;
}

/** A GET's query as an operation's input: the route's renames and lists applied. */
export function queryInput(route: RestRoute, url: URL): Record<string, unknown> {
  return Object.fromEntries(
    [...url.searchParams].map(([k, v]) => [
      route.rename?.[k] ?? k,
      route.lists?.includes(k) ? v.split(',').filter(Boolean) : v,
    ]),
  );
}

/**
 * The seed names the gateway one way everywhere: a `gateway` query parameter (or JSON field).
 * Where the operation takes one and the caller gave none, the only gateway Rigger knows is meant;
 * with several, the caller is asked to name one. Where the operation is not about one gateway
 * (settings), a given gateway must still exist; where it is about a job, the job must be that
 * gateway's.
 */
export async function applyGateway(
  core: Core,
  route: RestRoute,
  input: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const key = route.rename?.gateway ?? 'gateway';
  const takes = inputKeys(route).has(key);
  const given = input[key];
  if (given === undefined || given === '') {
    if (!takes) return input;
    const known = await core.call('gateways.list', {});
    if (known.length === 1) return { ...input, [key]: known[0]!.name };
    throw new RiggerError(
      'VALIDATION_ERROR',
      known.length
        ? `Name the gateway: Rigger knows ${known.map((g) => g.name).join(', ')}`
        : 'Rigger knows no gateway yet: add one first',
      { parameter: 'gateway', known: known.map((g) => g.name) },
      [`Add ?gateway=NAME (or "gateway" in the JSON body)`],
    );
  }
  if (takes) return input;
  if (typeof given !== 'string')
    throw new RiggerError('VALIDATION_ERROR', 'gateway must be a gateway name', { gateway: given });
  await core.call('gateways.get', { name: given });
  const rest = { ...input };
  delete rest[key];
  if (inputKeys(route).has('job_id') && !rest.job_id) {
    // "The progress of this gateway's update": its latest job.
    const { jobs } = await core.call('jobs.list', { gateway: given, limit: 1 });
    if (jobs[0]) rest.job_id = jobs[0].id;
  }
  const jobId = rest.job_id;
  if (typeof jobId === 'string' && jobId) {
    const job = await core.call('jobs.get', { job_id: jobId });
    if (job.gateway !== given)
      throw new RiggerError(
        'OTA_013',
        `Job ${jobId} is not a job of gateway ${given}`,
        { job_id: jobId, gateway: given },
        [`List ${given}'s jobs with GET /cloud-integration/jobs?gateway=${given}`],
      );
  }
  return rest;
}

/** Read a JSON body, bounded. */
export async function readJson(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  // A POST with no body at all (the seed's decommission, a rollout's pause) is an empty input.
  const h = req.headers;
  if (!h['content-type'] && !h['transfer-encoding'] && Number(h['content-length'] ?? 0) === 0)
    return {};
  if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
    throw new RiggerError('VALIDATION_ERROR', 'Send the request body as application/json');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes)
      throw new RiggerError('VALIDATION_ERROR', 'The request body is larger than 1 MiB');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new RiggerError('VALIDATION_ERROR', 'The request body is not valid JSON');
  }
}
