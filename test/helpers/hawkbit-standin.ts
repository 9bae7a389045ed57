import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { handleManagement, type StandinRollout } from './hawkbit-standin-mgmt';

/**
 * A STAND-IN for an Eclipse hawkBit server (there is none on these machines), written from
 * hawkBit's published DDI API v1 models (DdiControllerBase, DdiDeploymentBase, DdiCancel,
 * DdiActionFeedback, DdiConfigData) and parts of its Management API (hawkbit-standin-mgmt.ts).
 * It serves 127.0.0.1 only, records every request, and keeps just enough action state to
 * answer as hawkBit would: an action stays open until `closed` feedback, a cancel until
 * `canceled` or `rejected` feedback.
 */

export interface StandinArtifact {
  filename: string;
  content: Buffer;
  /** Bytes served in place of `content` (the hashes stay those of `content`). */
  served?: Buffer;
}
export interface StandinAction {
  id: string;
  version: string;
  distributionSetId: number;
  download?: 'skip' | 'attempt' | 'forced';
  update?: 'skip' | 'attempt' | 'forced';
  maintenanceWindow?: 'available' | 'unavailable';
  chunks: Array<{ part: string; name: string; version: string; artifacts: StandinArtifact[] }>;
  /** The rollout that created it (shown by the Management API only, as in hawkBit). */
  rollout?: StandinRollout;
  state: 'open' | 'canceling' | 'canceled' | 'closed';
}
export interface RecordedRequest {
  method: string;
  path: string;
  query: string;
  authorization?: string;
  ifNoneMatch?: string;
  range?: string;
  body?: unknown;
}
interface Target {
  actions: StandinAction[];
  configRequested: boolean;
  attributes: Record<string, string>;
}

export interface HawkbitStandin {
  url: string;
  tenant: string;
  gatewayToken: string;
  requests: RecordedRequest[];
  addTarget(controllerId: string): void;
  assign(controllerId: string, a: Omit<StandinAction, 'state'>): void;
  cancel(controllerId: string, actionId: string): void;
  action(controllerId: string, actionId: string): StandinAction;
  attributes(controllerId: string): Record<string, string>;
  /** Close the socket after `afterBytes` bytes of the next artifact download, once. */
  dropNextDownloadAfter(afterBytes: number): void;
  setPollingSleep(sleep: string): void;
  /** A distribution set no action refers to (the Management API lists it). */
  addDistributionSet(ds: { id: number; name: string; version: string }): void;
  /** The feedback bodies posted for a controller, in order. */
  feedback(controllerId: string): Array<{ channel: string; actionId: string; body: unknown }>;
  stop(): Promise<void>;
}

// prettier-ignore
const EXECUTIONS = ['closed', 'proceeding', 'canceled', 'scheduled', 'rejected', 'resumed', 'downloaded', 'download'];

const hashes = (b: Buffer) =>
  Object.fromEntries(
    ['sha1', 'md5', 'sha256'].map((h) => [h, createHash(h).update(b).digest('hex')]),
  );

/** Start the stand-in on a free port of 127.0.0.1. */
export async function startHawkbitStandin(
  opts: {
    tenant?: string;
    gatewayToken?: string;
    management?: { user: string; pass: string };
    /** Serve HTTPS with this key and certificate (for a client with a pinned CA). */
    tls?: { key: string; cert: string };
  } = {},
): Promise<HawkbitStandin> {
  const tenant = opts.tenant ?? 'DEFAULT';
  const gatewayToken = opts.gatewayToken ?? 'standin-gateway-token';
  const mgmt = opts.management ?? { user: 'admin', pass: 'admin' };
  const targets = new Map<string, Target>();
  const requests: RecordedRequest[] = [];
  let sleep = '00:05:00';
  let dropAfter: number | null = null;
  const dsExtra: Array<{ id: number; name: string; version: string }> = [];
  let url = '';

  const target = (cid: string) => {
    const t = targets.get(cid);
    if (!t) throw new Error(`stand-in: no target ${cid}`);
    return t;
  };
  const send = (res: ServerResponse, status: number, body?: unknown, headers = {}) => {
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, {
      ...(body === undefined ? {} : { 'Content-Type': 'application/hal+json;charset=UTF-8' }),
      ...headers,
    });
    res.end(text);
  };
  const ctl = (cid: string) => `${url}/${tenant}/controller/v1/${cid}`;
  const baseOf = (cid: string, t: Target) => {
    const links: Record<string, { href: string }> = {};
    const open = t.actions.find((a) => a.state === 'open' || a.state === 'canceling');
    if (open?.state === 'canceling')
      links.cancelAction = { href: `${ctl(cid)}/cancelAction/${open.id}` };
    else if (open)
      links.deploymentBase = { href: `${ctl(cid)}/deploymentBase/${open.id}?c=-${open.id}7` };
    if (t.configRequested) links.configData = { href: `${ctl(cid)}/configData` };
    return { config: { polling: { sleep } }, _links: links };
  };
  const deploymentOf = (cid: string, a: StandinAction) => ({
    id: a.id,
    deployment: {
      download: a.download ?? 'forced',
      update: a.update ?? 'forced',
      ...(a.maintenanceWindow ? { maintenanceWindow: a.maintenanceWindow } : {}),
      chunks: a.chunks.map((c, i) => ({
        part: c.part,
        version: c.version,
        name: c.name,
        artifacts: c.artifacts.map((f) => {
          const href = `${ctl(cid)}/softwaremodules/${a.distributionSetId * 10 + i}/artifacts/${f.filename}`;
          return {
            filename: f.filename,
            hashes: hashes(f.content),
            size: f.content.length,
            _links: {
              download: { href },
              'download-http': { href },
              'md5sum-http': { href: `${href}.MD5SUM` },
            },
          };
        }),
      })),
    },
  });
  const artifact = (req: IncomingMessage, res: ServerResponse, f: StandinArtifact) => {
    const bytes = f.served ?? f.content;
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const from = m ? Number(m[1]) : 0;
    const part = bytes.subarray(from);
    res.writeHead(m ? 206 : 200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': String(part.length),
      'Accept-Ranges': 'bytes',
      ...(m ? { 'Content-Range': `bytes ${from}-${bytes.length - 1}/${bytes.length}` } : {}),
    });
    if (dropAfter !== null && dropAfter < part.length) {
      const n = dropAfter;
      dropAfter = null;
      res.write(part.subarray(0, n), () => res.socket?.destroy());
      return;
    }
    res.end(part);
  };

  const handle = (req: IncomingMessage, res: ServerResponse, raw: Buffer) => {
    const u = new URL(req.url ?? '/', url);
    let body: unknown;
    if (raw.length) body = JSON.parse(raw.toString('utf8'));
    requests.push({
      method: req.method ?? '',
      path: u.pathname,
      query: u.search,
      authorization: req.headers.authorization,
      ifNoneMatch: req.headers['if-none-match'],
      range: req.headers.range,
      body,
    });
    const all = () => [...targets.values()].flatMap((t) => t.actions);
    const mgmtOpts = {
      mgmt,
      send,
      hasTarget: (cid: string) => targets.has(cid),
      actionOf: (cid: string, id: string) => targets.get(cid)?.actions.find((a) => a.id === id),
      rollouts: () => all().flatMap((a) => (a.rollout ? [a.rollout] : [])),
      distributionSets: () => [
        ...dsExtra,
        ...all().map((a) => ({ id: a.distributionSetId, name: 'ds', version: a.version })),
      ],
    };
    if (handleManagement(req, res, u, mgmtOpts)) return;
    const m = new RegExp(`^/${tenant}/controller/v1/([^/]+)(/.*)?$`).exec(u.pathname);
    if (!m) return send(res, 404, { errorCode: 'hawkbit.server.error.notFound' });
    if (req.headers.authorization !== `GatewayToken ${gatewayToken}`)
      return send(res, 401, { errorCode: 'hawkbit.server.error.unauthorized' });
    const cid = decodeURIComponent(m[1] ?? '');
    const t = targets.get(cid);
    if (!t) return send(res, 404, { errorCode: 'hawkbit.server.error.repo.entitiyNotFound' });
    const rest = m[2] ?? '';
    const find = (id: string) => t.actions.find((a) => a.id === id);
    if (rest === '' && req.method === 'GET') {
      const b = baseOf(cid, t);
      const etag = `"${createHash('sha1').update(JSON.stringify(b)).digest('hex').slice(0, 16)}"`;
      if (req.headers['if-none-match'] === etag) return send(res, 304, undefined, { ETag: etag });
      return send(res, 200, b, { ETag: etag });
    }
    if (rest === '/configData' && req.method === 'PUT') {
      const d = body as { data: Record<string, string> };
      Object.assign(t.attributes, d.data);
      t.configRequested = false;
      return send(res, 200);
    }
    let r = /^\/deploymentBase\/(\d+)$/.exec(rest);
    if (r && req.method === 'GET') {
      const a = find(r[1] ?? '');
      return a
        ? send(res, 200, deploymentOf(cid, a))
        : send(res, 404, { errorCode: 'hawkbit.server.error.repo.entitiyNotFound' });
    }
    r = /^\/cancelAction\/(\d+)$/.exec(rest);
    if (r && req.method === 'GET') {
      const a = find(r[1] ?? '');
      if (!a || a.state !== 'canceling') return send(res, 404, {});
      return send(res, 200, { id: a.id, cancelAction: { stopId: a.id } });
    }
    r = /^\/(deploymentBase|cancelAction)\/(\d+)\/feedback$/.exec(rest);
    if (r && req.method === 'POST') {
      const a = find(r[2] ?? '');
      if (!a || a.state === 'closed' || a.state === 'canceled') return send(res, 410, {});
      // As hawkBit's DdiActionFeedback/DdiStatus/DdiResult require: execution and result.finished.
      const st = (body as { status?: { execution?: string; result?: { finished?: string } } })
        ?.status;
      const ex = st?.execution ?? '';
      if (
        !EXECUTIONS.includes(ex) ||
        !['success', 'failure', 'none'].includes(st?.result?.finished ?? '')
      )
        return send(res, 400, { errorCode: 'hawkbit.server.error.rest.body.notReadable' });
      if (r[1] === 'cancelAction')
        a.state = ex === 'canceled' ? 'canceled' : ex === 'rejected' ? 'open' : a.state;
      else if (ex === 'closed') {
        a.state = 'closed';
        t.configRequested = true;
      }
      return send(res, 200);
    }
    r = /^\/softwaremodules\/(\d+)\/artifacts\/([^/]+)$/.exec(rest);
    if (r && req.method === 'GET') {
      const name = decodeURIComponent(r[2] ?? '');
      const f = t.actions
        .flatMap((a) => a.chunks.flatMap((c) => c.artifacts))
        .find((x) => x.filename === name);
      return f ? artifact(req, res, f) : send(res, 404, {});
    }
    return send(res, 404, { errorCode: 'hawkbit.server.error.notFound' });
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(parts)));
  };
  const server: Server = opts.tls ? createTlsServer(opts.tls, onRequest) : createServer(onRequest);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const scheme = opts.tls ? 'https' : 'http';
  url = `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    tenant,
    gatewayToken,
    requests,
    addTarget: (cid) =>
      void targets.set(cid, { actions: [], configRequested: true, attributes: {} }),
    assign: (cid, a) => void target(cid).actions.push({ ...a, state: 'open' }),
    cancel: (cid, id) => {
      const a = target(cid).actions.find((x) => x.id === id);
      if (a) a.state = 'canceling';
    },
    action: (cid, id) => {
      const a = target(cid).actions.find((x) => x.id === id);
      if (!a) throw new Error(`stand-in: no action ${id}`);
      return a;
    },
    attributes: (cid) => target(cid).attributes,
    dropNextDownloadAfter: (n) => void (dropAfter = n),
    setPollingSleep: (s) => void (sleep = s),
    addDistributionSet: (ds) => void dsExtra.push(ds),
    feedback: (cid) =>
      requests
        .filter((q) => q.method === 'POST' && q.path.startsWith(`/${tenant}/controller/v1/${cid}/`))
        .map((q) => {
          const [, channel = '', actionId = ''] =
            /\/(deploymentBase|cancelAction)\/(\d+)\/feedback$/.exec(q.path) ?? [];
          return { channel, actionId, body: q.body };
        }),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
