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
