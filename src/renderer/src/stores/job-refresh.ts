import type { ApiClient } from '../../../shared/api-client';
import type { RiggerEvent } from '../../../shared/events';
import { useGateways } from './gateways';
import { useOffers } from './offers';
import { useRecovery } from './recovery';
import { useStatus } from './status';
import { useUpdates } from './updates';

type JobComplete = Extract<RiggerEvent, { type: 'job_complete' }>;

/**
 * A job ended: what was read of its gateway before may be stale (an offer of the version just
 * installed, a rollback to the slot it now runs), so the gateway's list entry, status, offers and
 * recovery state are read again. A recovery job's own follower reloads its page itself.
 */
export async function refreshAfterJob(client: ApiClient, e: JobComplete): Promise<void> {
  let gateway: string;
  try {
    gateway = (await client.call('jobs.get', { job_id: e.job_id })).gateway;
  } catch {
    return; // a job this client cannot read: nothing it shows depends on it
  }
  const reads: Promise<unknown>[] = [useGateways.getState().load()];
  if (useStatus.getState().byName[gateway]) reads.push(useStatus.getState().refresh(gateway));
  if (useOffers.getState().byName[gateway]) reads.push(useOffers.getState().load(gateway));
  if (useUpdates.getState().gateway === gateway)
    reads.push(useUpdates.getState().checkFor(gateway));
  const rec = useRecovery.getState();
  const ownJob = rec.running?.id === e.job_id || rec.ended?.id === e.job_id;
  if (rec.gateway === gateway && !ownJob) reads.push(rec.load(gateway));
  await Promise.allSettled(reads);
}
