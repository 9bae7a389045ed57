import { isRiggerErrorData, toErrorData } from '../../../shared/errors';
import { NODE_HTTP, otaPushRequestSchema } from '../../../shared/nodes';
import type { NodeService } from './service';

/** An answer in the seed's shape: the HTTP status and the JSON body. */
export interface HttpAnswer {
  status: number;
  body: unknown;
}

const ROUTE = /^\/(v\d+)\/user\/nodes\/(ota_update|ota_status|config)\/?$/;
const API_VERSIONS = new Set(['v1']);

/** The seed's HTTP status for an error: its own hint, else by its code. */
function statusOf(err: unknown): number {
  const e = toErrorData(err);
  const hinted = e.details.http_status;
  if (typeof hinted === 'number') return hinted;
  if (e.code === 'VALIDATION_ERROR') return NODE_HTTP.badRequest;
  if (e.code === 'NOT_FOUND') return NODE_HTTP.notFound;
  if (e.code === 'OTA_014' || e.code === 'OTA_001') return NODE_HTTP.busy;
  return 500;
}

/**
 * The seed node-ota-api.md's endpoints over the node service, free of any server: the REST
 * layer hands it the method, path, query and parsed JSON body, and sends back what it answers.
 * Null when the path is not one of them.
 */
export async function handleNodeOta(
  nodes: NodeService,
  req: { method: string; path: string; query: URLSearchParams; body?: unknown },
): Promise<HttpAnswer | null> {
  const m = ROUTE.exec(req.path);
  if (!m) return null;
  const [, version, what] = m;
  const q = (k: string) => req.query.get(k) ?? undefined;
  try {
    if (!API_VERSIONS.has(version!))
      return {
        status: 404,
        body: { status: 'failure', description: `API version ${version} unknown; use v1` },
      };
    if (what === 'ota_update' && req.method === 'GET')
      return ok(await nodes.check(q('node_id') ?? ''));
    if (what === 'ota_update' && req.method === 'POST') {
      const body = otaPushRequestSchema.partial().safeParse(req.body ?? {});
      if (!body.success)
        return { status: 400, body: { status: 'failure', description: 'Invalid request body' } };
      return ok(await nodes.push(body.data));
    }
    if (what === 'ota_status' && req.method === 'GET')
      return ok(nodes.status({ node_id: q('node_id'), ota_job_id: q('ota_job_id') }));
    if (what === 'config' && req.method === 'GET')
      return ok(await nodes.config(q('node_id') ?? ''));
    return {
      status: 405,
      body: { status: 'failure', description: `${req.method} not allowed here` },
    };
  } catch (err) {
    const e = toErrorData(err);
    return {
      status: statusOf(err),
      body: {
        status: 'failure',
        description: e.message,
        error_code: e.code,
        ...(isRiggerErrorData(e) ? { suggested_actions: e.suggested_actions } : {}),
      },
    };
  }
}

const ok = (body: unknown): HttpAnswer => ({ status: 200, body });
