import type { z } from 'zod';
import { RiggerError } from '../../../shared/errors';
import {
  ddiCancelSchema,
  ddiControllerBaseSchema,
  ddiDeploymentBaseSchema,
  type DdiCancel,
  type DdiConfigData,
  type DdiControllerBase,
  type DdiDeploymentBase,
  type DdiFeedback,
} from '../../../shared/hawkbit';
import { request, type HttpAnswer, type HttpOptions } from './ddi-http';

export interface DdiConnection {
  url: string;
  tenant: string;
  gatewayToken: string;
  caPem?: string;
  timeoutMs?: number;
}

/** A poll's answer: `null` base when the server said 304 (nothing changed since `etag`). */
export interface PollAnswer {
  base: DdiControllerBase | null;
  etag?: string;
}

/** The DDI calls of one controller, authenticated with the tenant's gateway token. */
export interface DdiClient {
  readonly controllerId: string;
  readonly http: HttpOptions;
  poll(etag?: string): Promise<PollAnswer>;
  deployment(href: string): Promise<DdiDeploymentBase>;
  cancel(href: string): Promise<DdiCancel>;
  feedback(
    channel: 'deploymentBase' | 'cancelAction',
    actionId: string,
    body: DdiFeedback,
  ): Promise<void>;
  configData(body: DdiConfigData): Promise<void>;
}

/** An HTTP answer that is not what DDI promises, as a clear error naming the controller. */
function refused(controllerId: string, url: URL, ans: HttpAnswer): RiggerError {
  const details = { controller_id: controllerId, url: url.href, status: ans.status };
  if (ans.status === 401 || ans.status === 403)
    return new RiggerError(
      'UNAUTHORIZED',
      `hawkBit refused the gateway token for ${controllerId} (HTTP ${ans.status})`,
      details,
      ['Check the tenant and the gateway token (System Config → Authentication in hawkBit)'],
    );
  if (ans.status === 404)
    return new RiggerError(
      'NOT_FOUND',
      `hawkBit knows no target ${controllerId} (HTTP 404)`,
      details,
      ['Create the target in hawkBit, or map the gateway to its controllerId'],
    );
  return new RiggerError(
    'OTA_009',
    `hawkBit answered HTTP ${ans.status} for ${controllerId}`,
    details,
  );
}

/** Parse a JSON answer against its DDI model, or say what was wrong with it. */
function parse<T>(schema: z.ZodType<T>, url: URL, ans: HttpAnswer): T {
  let value: unknown;
  try {
    value = JSON.parse(ans.body.toString('utf8'));
  } catch {
    throw new RiggerError('VALIDATION_ERROR', `hawkBit sent no JSON from ${url.pathname}`, {
      url: url.href,
    });
  }
  const r = schema.safeParse(value);
  if (!r.success)
    throw new RiggerError(
      'VALIDATION_ERROR',
      `hawkBit's answer from ${url.pathname} is not a DDI document: ${r.error.issues[0]?.message}`,
      { url: url.href, issues: r.error.issues.slice(0, 5) },
    );
  return r.data;
}

/** The DDI client of one controller. Links the server sends must stay on the server's origin. */
export function createDdiClient(conn: DdiConnection, controllerId: string): DdiClient {
  const origin = new URL(conn.url).origin;
  const base = new URL(
    `${conn.url.replace(/\/+$/, '')}/${encodeURIComponent(conn.tenant)}/controller/v1/${encodeURIComponent(controllerId)}`,
  );
  const http: HttpOptions = {
    authorization: `GatewayToken ${conn.gatewayToken}`,
    caPem: conn.caPem,
    timeoutMs: conn.timeoutMs,
  };
  const sameOrigin = (href: string) => {
    const u = new URL(href);
    if (u.origin !== origin)
      throw new RiggerError('VALIDATION_ERROR', `hawkBit linked to another server: ${u.origin}`, {
        href,
        server: origin,
      });
    return u;
  };
  const get = async <T>(url: URL, schema: z.ZodType<T>) => {
    const ans = await request('GET', url, http);
    if (ans.status !== 200) throw refused(controllerId, url, ans);
    return parse(schema, url, ans);
  };
  const send = async (method: string, url: URL, body: unknown) => {
    const ans = await request(method, url, http, {}, body);
    if (ans.status < 200 || ans.status > 299) throw refused(controllerId, url, ans);
  };
  return {
    controllerId,
    http,
    async poll(etag) {
      const ans = await request('GET', base, http, etag ? { 'If-None-Match': etag } : {});
      if (ans.status === 304) return { base: null, etag };
      if (ans.status !== 200) throw refused(controllerId, base, ans);
      const etagNow = ans.headers.etag;
      return { base: parse(ddiControllerBaseSchema, base, ans), etag: etagNow };
    },
    deployment: async (href) => get(sameOrigin(href), ddiDeploymentBaseSchema),
    cancel: async (href) => get(sameOrigin(href), ddiCancelSchema),
    feedback: (channel, actionId, body) =>
      send('POST', new URL(`${base.href}/${channel}/${actionId}/feedback`), body),
    configData: (body) => send('PUT', new URL(`${base.href}/configData`), body),
  };
}

/** `HH:MM:SS` as milliseconds. */
export function sleepMs(sleep: string): number {
  const [h = 0, m = 0, s = 0] = sleep.split(':').map(Number);
  return ((h * 60 + m) * 60 + s) * 1000;
}
