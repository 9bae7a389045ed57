import { z } from 'zod';
import { RiggerError } from '../../../shared/errors';
import type { HawkbitRollout } from '../../../shared/hawkbit-offer';
import { request, type HttpOptions } from './ddi-http';
import type { ManagementCredentials } from './management';

/** Groups read per rollout: hawkBit's default page; more are noted, not read. */
const MAX_GROUPS = 100;

/** MgmtAction: the fields that name the rollout an action was created for. */
const mgmtActionSchema = z.object({
  id: z.number().int(),
  rollout: z.number().int().optional(),
  rolloutName: z.string().max(256).optional(),
});
const groupSchema = z.object({
  id: z.number().int(),
  name: z.string().max(256),
  status: z.string().max(64),
  totalTargets: z.number().int().min(0).default(0),
  targetPercentage: z.number().min(0).max(100).optional(),
});
/** hawkBit's PagedList. */
const paged = <T extends z.ZodType>(item: T) =>
  z.object({ content: z.array(item).max(MAX_GROUPS), total: z.number().int().min(0) });

/**
 * The rollout an action belongs to and its groups, as hawkBit assigned them. DDI carries none
 * of this: it comes from the Management API (`GET /rest/v1/targets/{id}/actions/{actionId}`,
 * then `/rest/v1/rollouts/{id}/deploygroups` and each group's targets filtered to this one).
 * Null for an action assigned outside any rollout.
 */
export async function fetchRollout(
  url: string,
  creds: ManagementCredentials,
  caPem: string | undefined,
  controllerId: string,
  actionId: string,
  at: string,
): Promise<HawkbitRollout | null> {
  const root = url.replace(/\/+$/, '');
  const http: HttpOptions = {
    authorization: `Basic ${Buffer.from(`${creds.user}:${creds.password}`).toString('base64')}`,
    caPem,
  };
  const get = async <T>(path: string, schema: z.ZodType<T>): Promise<T> => {
    const u = new URL(`${root}${path}`);
    const ans = await request('GET', u, http);
    if (ans.status === 401 || ans.status === 403)
      throw new RiggerError(
        'UNAUTHORIZED',
        `hawkBit's Management API refused the user ${creds.user} (HTTP ${ans.status})`,
        { status: ans.status },
        ['Check the management user and password in the hawkBit settings'],
      );
    if (ans.status !== 200)
      throw new RiggerError('OTA_009', `hawkBit's Management API answered HTTP ${ans.status}`, {
        status: ans.status,
        url: u.pathname,
      });
    let value: unknown = null;
    try {
      value = JSON.parse(ans.body.toString('utf8'));
    } catch {
      // Not JSON: refused below like any answer of the wrong shape.
    }
    const r = schema.safeParse(value);
    if (!r.success)
      throw new RiggerError(
        'VALIDATION_ERROR',
        `hawkBit's answer from ${u.pathname} is not what its Management API documents`,
        { url: u.pathname, issues: r.error.issues.slice(0, 5) },
      );
    return r.data;
  };
  const cid = encodeURIComponent(controllerId);
  const action = await get(`/rest/v1/targets/${cid}/actions/${actionId}`, mgmtActionSchema);
  if (action.rollout === undefined) return null;
  const rid = action.rollout;
  const groups = await get(
    `/rest/v1/rollouts/${rid}/deploygroups?offset=0&limit=${MAX_GROUPS}&sort=id:ASC`,
    paged(groupSchema),
  );
  let found = false;
  const out: HawkbitRollout['groups'] = [];
  for (const g of groups.content) {
    // Once this target's group is found, the later groups need no lookup.
    const holds: boolean =
      !found &&
      (
        await get(
          `/rest/v1/rollouts/${rid}/deploygroups/${g.id}/targets?q=${encodeURIComponent(`controllerId==${controllerId}`)}&limit=1`,
          paged(z.object({ controllerId: z.string() })),
        )
      ).total > 0;
    found ||= holds;
    out.push({
      id: g.id,
      name: g.name,
      status: g.status,
      total_targets: g.totalTargets,
      ...(g.targetPercentage !== undefined ? { target_percentage: g.targetPercentage } : {}),
      holds_target: holds,
    });
  }
  return {
    id: rid,
    name: action.rolloutName ?? `rollout ${rid}`,
    groups: out,
    more_groups: groups.total > groups.content.length,
    fetched_at: at,
  };
}
