import type { HawkbitAssignment, HawkbitPending } from '../../../shared/hawkbit';
import type { HawkbitJournal, JournalAction } from './journal';
import { versionOf } from './sync';

/** The one line the Fleet page and `rigger hawkbit status` show for an action. */
export function describeAction(a: JournalAction): string {
  const d = a.deployment.deployment;
  const window = d.maintenanceWindow ? `, maintenance window ${d.maintenanceWindow}` : '';
  return `hawkBit wants ${versionOf(a)} on ${a.gateway} (action ${a.actionId}, ${d.download ?? 'forced'} / ${d.update ?? 'forced'}${window})`;
}

const toAssignment = (a: JournalAction): HawkbitAssignment => {
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
  };
};

/** Every action the journal holds (of one gateway, if named), newest state included. */
export function assignmentsOf(journal: HawkbitJournal, gateway?: string): HawkbitAssignment[] {
  return journal.actions(gateway ? { gateway } : {}).map(toAssignment);
}

/**
 * The downloaded, still open action that installing `version` on `gateway` carries out, so an
 * ordinary `rigger flash --image` of that image is tied to it; null for an update outside any.
 */
export function actionForInstall(
  journal: HawkbitJournal,
  gateway: string,
  version: string,
): HawkbitAssignment | null {
  const hit = journal
    .actions({ gateway })
    .filter((a) => a.state === 'downloaded' && !a.cancelRequestedAt)
    .find((a) => a.deployment.deployment.chunks.some((c) => c.version === version));
  return hit ? toAssignment(hit) : null;
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
