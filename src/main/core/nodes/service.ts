import { RiggerError, toErrorData } from '../../../shared/errors';
import {
  NODE_HTTP,
  type GatewayNode,
  type NodeConfigResponse,
  type NodeFirmware,
  type OtaCheckResponse,
  type OtaJobStatus,
  type OtaPushResponse,
  type OtaStatusResponse,
  type ToolStatus,
} from '../../../shared/nodes';
import type { Profile } from '../../../shared/profile';
import type { AuditLog } from '../audit';
import type { GatewaySession } from '../gateways/session';
import { compareVersions, meetsAll, parseVersion } from '../images/versions';
import type { FirmwareLibrary } from './firmware-library';
import { DEFAULT_NODE_TIMINGS, updateNode, type NodeTimings } from './follow';
import { pushAll, type BatchResult } from './batch';
import { listNodes, nodeStatus } from './tool';

export interface NodeDeps {
  /** The registered gateways' names. */
  gateways(): string[];
  session(gateway: string): Promise<{ profile: Profile; session: GatewaySession }>;
  library: FirmwareLibrary;
  audit: AuditLog;
  timings?: Partial<NodeTimings>;
}

export interface NodeService {
  /** `rigger nodes list`: the nodes behind one gateway, or behind every gateway with a node tool. */
  list(gateway?: string): Promise<GatewayNode[]>;
  check(nodeId: string): Promise<OtaCheckResponse>;
  push(req: { node_id?: string; ota_job_id?: string }): Promise<OtaPushResponse>;
  status(req: { node_id?: string; ota_job_id?: string }): OtaStatusResponse;
  config(nodeId: string): Promise<NodeConfigResponse>;
  /** What the gateway's `status_command` says of the node right now. */
  live(nodeId: string): Promise<{ node: GatewayNode; status: ToolStatus | null; error: string }>;
  /** Every node of `type` on `gateway`, one after another; stops at the first failure unless told. */
  pushAll(
    gateway: string,
    type: string,
    opts?: { continueOnFailure?: boolean },
  ): Promise<BatchResult[]>;
  /** The end of a node's job (for the CLI and tests). */
  wait(nodeId: string, otaJobId: string): Promise<OtaStatusResponse>;
  /** The node's latest push in this process, with the version it pushes, or null. */
  latest(nodeId: string): (OtaStatusResponse & { version: string }) | null;
  /** Is a push to this node running now? */
  active(nodeId: string): boolean;
  /** Be told of every listing of a gateway's nodes and every step of a push (the fleet's devices). */
  observe(o: NodeObserver): () => void;
}

/** What the fleet hears of the nodes: a gateway's listing, and each step of a push. */
export interface NodeObserver {
  listed(gateway: string, nodes: GatewayNode[]): void;
  job(step: OtaStatusResponse & { version: string; gateway: string }): void;
}

const JOB_PREFIX = 'OTA_JOB_';
export const jobIdOf = (fw: NodeFirmware) => `${JOB_PREFIX}${fw.id}`;
const bad = (
  message: string,
  details: Record<string, unknown> = {},
  code: 'VALIDATION_ERROR' | 'NOT_FOUND' = 'VALIDATION_ERROR',
) => new RiggerError(code, message, { ...details, http_status: NODE_HTTP.badRequest });

/** The seed's node OTA over the gateways' node tools; one push at a time per gateway. */
export function createNodeService(deps: NodeDeps): NodeService {
  const t = { ...DEFAULT_NODE_TIMINGS, ...deps.timings };
  const where = new Map<string, string>();
  const jobs = new Map<string, OtaStatusResponse>();
  const running = new Map<string, Promise<OtaStatusResponse>>();
  const busy = new Set<string>();
  const key = (n: string, j: string) => `${n}\n${j}`;
  const latest = new Map<string, { jobId: string; version: string; gateway: string }>();
  const observers = new Set<NodeObserver>();
  const tell = (f: (o: NodeObserver) => void) => {
    for (const o of observers)
      try {
        f(o);
      } catch (err) {
        console.error('nodes: an observer failed', err);
      }
  };

  async function listOn(gateway: string): Promise<GatewayNode[]> {
    const { profile, session } = await deps.session(gateway);
    if (!profile.nodes) return [];
    const nodes = (await listNodes(session, profile)).map((n) => ({ ...n, gateway }));
    for (const n of nodes) where.set(n.node_id, gateway);
    tell((o) => o.listed(gateway, nodes));
    return nodes;
  }

  /** The node now, fresh from its gateway's tool; gateways are asked again for one not seen. */
  async function locate(nodeId: string | undefined): Promise<GatewayNode> {
    if (!nodeId) throw bad('NodeId missing');
    const known = where.get(nodeId);
    const found = known ? (await listOn(known)).find((n) => n.node_id === nodeId) : undefined;
    if (found) return found;
    for (const gw of deps.gateways()) {
      if (gw === known) continue;
      const n = (await listOn(gw).catch(() => [])).find((x) => x.node_id === nodeId);
      if (n) return n;
    }
    throw bad(`Node ${nodeId} does not belong to any known gateway`, { node_id: nodeId });
  }

  function firmwareOf(jobId: string | undefined): NodeFirmware {
    if (!jobId) throw bad('OTA Job Id missing');
    const fw = jobId.startsWith(JOB_PREFIX)
      ? deps.library.find(jobId.slice(JOB_PREFIX.length))
      : null;
    if (!fw) throw bad(`OTA image not found for job ${jobId}`, { ota_job_id: jobId });
    return fw;
  }

  const record = (nodeId: string, jobId: string, status: OtaJobStatus, info: string) => {
    const step = {
      status,
      node_id: nodeId,
      ota_job_id: jobId,
      timestamp: Math.floor(Date.now() / 1000),
      additional_info: info,
    };
    jobs.set(key(nodeId, jobId), step);
    const l = latest.get(nodeId);
    if (l?.jobId === jobId) tell((o) => o.job({ ...step, version: l.version, gateway: l.gateway }));
  };

  const service: NodeService = {
    async list(gateway) {
      if (gateway) return listOn(gateway);
      const all: GatewayNode[] = [];
      for (const gw of deps.gateways()) all.push(...(await listOn(gw).catch(() => [])));
      return all;
    },

    async check(nodeId) {
      const node = await locate(nodeId);
      const fw = deps.library.newestFor(node.type);
      if (!fw)
        return {
          status: 'success',
          ota_available: false,
          description: `No firmware for node type ${node.type} in the library`,
        };
      const known = node.fw_version && parseVersion(node.fw_version) ? node.fw_version : null;
      if (known && compareVersions(fw.version, known) <= 0)
        return {
          status: 'success',
          ota_available: false,
          description: 'Device is running latest firmware',
        };
      if (!meetsAll(node.fw_version, fw.prerequisites))
        return {
          status: 'success',
          ota_available: false,
          description: `Firmware ${fw.version} needs ${fw.prerequisites.join(', ')}; the node runs ${node.fw_version ?? 'an unknown version'}`,
        };
      return {
        status: 'success',
        ota_available: true,
        description: fw.description,
        fw_version: fw.version,
        ota_job_id: jobIdOf(fw),
        file_size: fw.size,
        file_md5: fw.md5,
      };
    },

    async push(req) {
      if (!req.node_id) throw bad('NodeId missing');
      const fw = firmwareOf(req.ota_job_id);
      const jobId = req.ota_job_id!;
      const node = await locate(req.node_id);
      if (!fw.node_types.includes(node.type))
        throw bad(
          `Firmware ${fw.id} is for ${fw.node_types.join(', ')}, node ${node.node_id} is ${node.type}`,
          {
            node_type: node.type,
            node_types: fw.node_types,
          },
        );
      if (!meetsAll(node.fw_version, fw.prerequisites))
        throw bad(
          `Node ${node.node_id} runs ${node.fw_version ?? 'an unknown version'}; firmware ${fw.version} needs ${fw.prerequisites.join(', ')}`,
          { prerequisites: fw.prerequisites },
        );
      if (!node.online)
        throw bad(`Node is offline: ${node.node_id} does not answer on ${node.gateway}`);
      if (busy.has(node.gateway))
        throw new RiggerError(
          'OTA_014',
          `Gateway ${node.gateway} is already pushing firmware to its nodes; try again later`,
          {
            gateway: node.gateway,
            http_status: NODE_HTTP.busy,
          },
        );
      busy.add(node.gateway);
      latest.set(node.node_id, { jobId, version: fw.version, gateway: node.gateway });
      record(
        node.node_id,
        jobId,
        'initiated',
        `Firmware ${fw.version} queued for ${node.node_id} on ${node.gateway}`,
      );
      const done = (async () => {
        let outcome: OtaJobStatus = 'failed';
        try {
          const { profile, session } = await deps.session(node.gateway);
          outcome = await updateNode(
            session,
            profile,
            node,
            fw,
            deps.library.path(fw),
            (s, info) => record(node.node_id, jobId, s, info),
            t,
          );
        } catch (err) {
          record(node.node_id, jobId, 'failed', toErrorData(err).message);
        } finally {
          busy.delete(node.gateway);
        }
        const last = jobs.get(key(node.node_id, jobId))!;
        deps.audit.record({
          action: 'node.ota_update',
          outcome: outcome === 'success' ? 'ok' : 'failed',
          details: {
            gateway: node.gateway,
            node_id: node.node_id,
            firmware: fw.id,
            status: last.status,
            info: last.additional_info,
          },
        });
        return last;
      })();
      running.set(key(node.node_id, jobId), done);
      return { status: 'success', description: 'OTA update initiated successfully' };
    },

    status(req) {
      if (!req.node_id) throw bad('NodeId missing');
      if (!req.ota_job_id) throw bad('OTA Job Id missing');
      const s = jobs.get(key(req.node_id, req.ota_job_id));
      if (!s)
        throw new RiggerError('NOT_FOUND', 'OTA status not found', {
          node_id: req.node_id,
          ota_job_id: req.ota_job_id,
          http_status: NODE_HTTP.notFound,
        });
      return { ...s };
    },

    async config(nodeId) {
      const n = await locate(nodeId);
      return {
        node_id: n.node_id,
        gateway: n.gateway,
        online: n.online,
        info: { name: n.name, type: n.type, fw_version: n.fw_version },
      };
    },

    async live(nodeId) {
      const node = await locate(nodeId);
      const { profile, session } = await deps.session(node.gateway);
      return { node, ...(await nodeStatus(session, profile, node.node_id)) };
    },

    pushAll: (gateway, type, opts) => pushAll(service, gateway, type, opts),

    wait: (nodeId, jobId) =>
      running.get(key(nodeId, jobId)) ??
      Promise.resolve(service.status({ node_id: nodeId, ota_job_id: jobId })),

    latest(nodeId) {
      const l = latest.get(nodeId);
      const s = l && jobs.get(key(nodeId, l.jobId));
      return l && s ? { ...s, version: l.version } : null;
    },
    active(nodeId) {
      const s = service.latest(nodeId)?.status;
      return s === 'initiated' || s === 'in_progress';
    },
    observe(o) {
      observers.add(o);
      return () => void observers.delete(o);
    },
  };
  return service;
}
