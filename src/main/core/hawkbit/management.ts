import { z } from 'zod';
import { RiggerError } from '../../../shared/errors';
import { request, type HttpOptions } from './ddi-http';

export interface ManagementCredentials {
  user: string;
  password: string;
}

/**
 * Tell hawkBit a distribution set is installed on a target without a rollout:
 * `POST /rest/v1/targets/{controllerId}/assignedDS?offline=true` with Basic auth.
 */
export async function reportOfflineInstall(
  url: string,
  creds: ManagementCredentials,
  caPem: string | undefined,
  controllerId: string,
  distributionSetId: number,
): Promise<void> {
  const target = new URL(
    `${url.replace(/\/+$/, '')}/rest/v1/targets/${encodeURIComponent(controllerId)}/assignedDS?offline=true`,
  );
  const http: HttpOptions = {
    authorization: `Basic ${Buffer.from(`${creds.user}:${creds.password}`).toString('base64')}`,
    caPem,
  };
  const ans = await request('POST', target, http, {}, [{ id: distributionSetId }]);
  if (ans.status === 401 || ans.status === 403)
    throw new RiggerError(
      'UNAUTHORIZED',
      `hawkBit's Management API refused the user ${creds.user} (HTTP ${ans.status})`,
      { status: ans.status },
      ['Check the management user and password in the hawkBit settings'],
    );
  if (ans.status < 200 || ans.status > 299)
    throw new RiggerError(
      'OTA_009',
      `hawkBit's Management API answered HTTP ${ans.status} for ${controllerId}`,
      { status: ans.status, controller_id: controllerId },
    );
}

const dsPageSchema = z.object({
  content: z.array(z.object({ id: z.number().int().positive(), version: z.string() })).max(10),
  total: z.number().int().min(0),
});

/**
 * The distribution set of a version, for an update done outside any action:
 * `GET /rest/v1/distributionsets?q=version=="V"`. Exactly one must match; otherwise why not.
 */
export async function findDistributionSet(
  url: string,
  creds: ManagementCredentials,
  caPem: string | undefined,
  version: string,
): Promise<{ id: number } | { none: string }> {
  const q = encodeURIComponent(`version=="${version.replace(/"/g, '')}"`);
  const target = new URL(`${url.replace(/\/+$/, '')}/rest/v1/distributionsets?q=${q}&limit=2`);
  const ans = await request('GET', target, {
    authorization: `Basic ${Buffer.from(`${creds.user}:${creds.password}`).toString('base64')}`,
    caPem,
  });
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
    });
  let body: unknown = null;
  try {
    body = JSON.parse(ans.body.toString('utf8'));
  } catch {
    // Refused below as an answer of the wrong shape.
  }
  const page = dsPageSchema.safeParse(body);
  if (!page.success)
    throw new RiggerError('VALIDATION_ERROR', 'hawkBit listed distribution sets in another shape', {
      issues: page.error.issues.slice(0, 5),
    });
  const hits = page.data.content.filter((d) => d.version === version);
  if (hits.length === 1 && page.data.total === 1) return { id: hits[0]!.id };
  return {
    none:
      page.data.total === 0
        ? `hawkBit has no distribution set of version ${version}`
        : `hawkBit has ${page.data.total} distribution sets of version ${version}: assign the right one there`,
  };
}
