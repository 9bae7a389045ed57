import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The Management API half of the hawkBit STAND-IN (see hawkbit-standin.ts), written from
 * hawkBit's published Management API v1 (MgmtTargetRestApi, MgmtRolloutRestApi,
 * MgmtDistributionSetRestApi; models MgmtAction, MgmtRolloutGroupResponseBody,
 * MgmtDistributionSet, PagedList): Basic auth, `assignedDS?offline=true`, distribution sets by
 * `q=version==…`,
 * a target's action with its `rollout`/`rolloutName`, a rollout's deploygroups and a group's
 * targets filtered by `q=controllerId==…`.
 */

export interface StandinRollout {
  id: number;
  name: string;
  groups: Array<{
    id: number;
    name: string;
    status: string;
    targetPercentage?: number;
    /** controllerIds of the group's targets. */
    targets: string[];
  }>;
}

type Send = (res: ServerResponse, status: number, body?: unknown) => void;

/** Answer a Management API request; false when the path is not one of them. */
export function handleManagement(
  req: IncomingMessage,
  res: ServerResponse,
  u: URL,
  o: {
    mgmt: { user: string; pass: string };
    hasTarget: (cid: string) => boolean;
    actionOf: (cid: string, id: string) => { id: string; rollout?: StandinRollout } | undefined;
    rollouts: () => StandinRollout[];
    distributionSets: () => Array<{ id: number; name: string; version: string }>;
    send: Send;
  },
): boolean {
  if (!u.pathname.startsWith('/rest/v1/')) return false;
  const basic = `Basic ${Buffer.from(`${o.mgmt.user}:${o.mgmt.pass}`).toString('base64')}`;
  if (req.headers.authorization !== basic) {
    o.send(res, 401, { errorCode: 'hawkbit.server.error.unauthorized' });
    return true;
  }
  const notFound = () =>
    o.send(res, 404, { errorCode: 'hawkbit.server.error.repo.entitiyNotFound' });
  const paged = <T>(all: T[]) => {
    const limit = Number(u.searchParams.get('limit') ?? 50);
    const content = all.slice(0, limit);
    return { content, total: all.length, size: content.length };
  };
  let m = /^\/rest\/v1\/targets\/([^/]+)\/assignedDS$/.exec(u.pathname);
  if (m && req.method === 'POST') {
    if (!o.hasTarget(decodeURIComponent(m[1] ?? ''))) notFound();
    else o.send(res, 200, { assigned: 1, alreadyAssigned: 0, assignedActions: [], total: 1 });
    return true;
  }
  if (u.pathname === '/rest/v1/distributionsets' && req.method === 'GET') {
    const q = /^version=="?([^"]*)"?$/.exec(u.searchParams.get('q') ?? '');
    const all = o.distributionSets().filter((d) => !q || d.version === q[1]);
    o.send(res, 200, paged(all.map((d) => ({ ...d, type: 'os', complete: true }))));
    return true;
  }
  m = /^\/rest\/v1\/targets\/([^/]+)\/actions\/(\d+)$/.exec(u.pathname);
  if (m && req.method === 'GET') {
    const cid = decodeURIComponent(m[1] ?? '');
    const a = o.actionOf(cid, m[2] ?? '');
    if (!a) notFound();
    else
      o.send(res, 200, {
        id: Number(a.id),
        type: 'update',
        status: 'pending',
        detailStatus: 'running',
        forceType: 'forced',
        ...(a.rollout ? { rollout: a.rollout.id, rolloutName: a.rollout.name } : {}),
        _links: { self: { href: `${u.origin}${u.pathname}` } },
      });
    return true;
  }
  m = /^\/rest\/v1\/rollouts\/(\d+)\/deploygroups(?:\/(\d+)\/targets)?$/.exec(u.pathname);
  if (m && req.method === 'GET') {
    const r = o.rollouts().find((x) => x.id === Number(m?.[1]));
    if (!r) return (notFound(), true);
    if (!m[2]) {
      o.send(
        res,
        200,
        paged(
          r.groups.map((g) => ({
            id: g.id,
            name: g.name,
            description: g.name,
            status: g.status,
            totalTargets: g.targets.length,
            ...(g.targetPercentage !== undefined ? { targetPercentage: g.targetPercentage } : {}),
            dynamic: false,
          })),
        ),
      );
      return true;
    }
    const g = r.groups.find((x) => x.id === Number(m?.[2]));
    if (!g) return (notFound(), true);
    const q = /^controllerId==(.+)$/.exec(u.searchParams.get('q') ?? '');
    const ids = q ? g.targets.filter((t) => t === q[1]) : g.targets;
    o.send(res, 200, paged(ids.map((controllerId) => ({ controllerId, name: controllerId }))));
    return true;
  }
  notFound();
  return true;
}
