import type { HawkbitAssignment, HawkbitPending } from '../../../shared/hawkbit';
import type { HawkbitJournal, JournalAction } from './journal';
import { installRecordOf, offerOf, type OfferLookups } from './offer-view';
import { versionOf } from './sync';

/** The one line the Fleet page and `rigger hawkbit status` show for an action. */
export function describeAction(a: JournalAction): string {
  const d = a.deployment.deployment;
  const window = d.maintenanceWindow ? `, maintenance window ${d.maintenanceWindow}` : '';
  return `hawkBit wants ${versionOf(a)} on ${a.gateway} (action ${a.actionId}, ${d.download ?? 'forced'} / ${d.update ?? 'forced'}${window})`;
}

const toAssignment = (
  j: HawkbitJournal,
  a: JournalAction,
  look?: OfferLookups,
): HawkbitAssignment => {
  const d = a.deployment.deployment;
  return {
    gateway: a.gateway,
    controller_id: a.controllerId,
    action_id: a.actionId,
    version: versionOf(a),
    download: d.download ?? 'forced',
    update: d.update ?? 'forced',
    ...(d.maintenanceWindow ? { maintenance_window: d.maintenanceWindow } : {}),
    state: a.state,
    chunks: d.chunks.map((c) => ({ part: c.part, name: c.name, version: c.version })),
    files: a.files,
    fetched_at: a.fetchedAt,
    cancel_requested: a.cancelRequestedAt !== null,
    summary: describeAction(a),
    ...offerOf(j, a, look),
    install: installRecordOf(j, a),
    rollout: a.rollout,
  };
};

/** Every action the journal holds (of one gateway, if named), newest state included. */
export function assignmentsOf(
  journal: HawkbitJournal,
  gateway?: string,
  look?: OfferLookups,
): HawkbitAssignment[] {
  return journal.actions(gateway ? { gateway } : {}).map((a) => toAssignment(journal, a, look));
}

/**
 * The downloaded, still open action that installing an image on `gateway` carries out, so an
 * install from the Updates page or `rigger flash --image` is tied to it: the action whose
 * artifact became that library image, else one of the same version; null for an update
 * outside any action.
 */
export function actionForInstall(
  journal: HawkbitJournal,
  gateway: string,
  version: string,
  imageId?: string,
): HawkbitAssignment | null {
  const open = journal
    .actions({ gateway })
    .filter((a) => a.state === 'downloaded' && !a.cancelRequestedAt);
  const hit =
    (imageId ? open.find((a) => a.images.includes(imageId)) : undefined) ??
    open.find((a) => a.deployment.deployment.chunks.some((c) => c.version === version));
  return hit ? toAssignment(journal, hit) : null;
}

/** Messages still waiting in the journal (of one gateway, if named). */
export function pendingReports(journal: HawkbitJournal, gateway?: string): HawkbitPending[] {
  return journal
    .outbox(gateway ? { gateway } : {})
    .filter((r) => r.sentAt === null)
    .map((r) => ({
      gateway: r.gateway,
      controller_id: r.controllerId,
      action_id: r.actionId,
      channel: r.channel,
      queued_at: r.createdAt,
      not_reported: r.notReported,
    }));
}
