import { toErrorData } from '../../../shared/errors';
import type { OtaJobStatus, OtaStatusResponse } from '../../../shared/nodes';
import type { NodeService } from './service';

export interface BatchResult {
  node_id: string;
  status: OtaJobStatus | 'up_to_date' | 'not_started';
  additional_info: string;
}

/**
 * "Update all nodes of type X on this gateway": one after another, each followed to its end;
 * the first failure stops the rest (`not_started`) unless `continueOnFailure`.
 */
export async function pushAll(
  svc: Pick<NodeService, 'list' | 'check' | 'push' | 'wait'>,
  gateway: string,
  type: string,
  opts: { continueOnFailure?: boolean } = {},
): Promise<BatchResult[]> {
  const nodes = (await svc.list(gateway))
    .filter((n) => n.type === type)
    .sort((a, b) => a.node_id.localeCompare(b.node_id));
  const results: BatchResult[] = [];
  let stopped = false;
  for (const n of nodes) {
    const node_id = n.node_id;
    if (stopped) {
      results.push({
        node_id,
        status: 'not_started',
        additional_info: 'Stopped after an earlier failure',
      });
      continue;
    }
    const offer = await svc.check(node_id);
    if (!offer.ota_available) {
      results.push({ node_id, status: 'up_to_date', additional_info: offer.description });
      continue;
    }
    let end: Pick<OtaStatusResponse, 'status' | 'additional_info'>;
    try {
      await svc.push({ node_id, ota_job_id: offer.ota_job_id });
      end = await svc.wait(node_id, offer.ota_job_id);
    } catch (err) {
      end = { status: 'failed', additional_info: toErrorData(err).message };
    }
    results.push({ node_id, status: end.status, additional_info: end.additional_info });
    if (end.status !== 'success' && !opts.continueOnFailure) stopped = true;
  }
  return results;
}
