import type { DdiFeedback } from '../../../shared/hawkbit';
import type { HawkbitImage, HawkbitInstallRecord } from '../../../shared/hawkbit-offer';
import type { HawkbitJournal, JournalAction } from './journal';
import { versionOf } from './sync';

/** What the journal needs from the image library to judge an action at the crane. */
export interface OfferLookups {
  imageOf: (id: string) => HawkbitImage | null;
}

const SYNC_AGAIN =
  'Sync with hawkBit again while online (Fleet → Sync with hawkBit, or rigger hawkbit sync)';

/** The install journaled for an action, with whether the next sync has told hawkBit yet. */
export function installRecordOf(j: HawkbitJournal, a: JournalAction): HawkbitInstallRecord | null {
  const row = j.queued(`install:${a.controllerId}:${a.actionId}`);
  if (!row) return null;
  const body = row.body as DdiFeedback;
  const finished = body.status.result.finished;
  return {
    result: finished === 'success' ? 'success' : 'failure',
    finished_at: body.time,
    details: body.status.details,
    reported_at: row.sentAt,
  };
}

/**
 * Whether an action is offered for installing at the crane, and if not, why and what to do:
 * a canceled one is never offered, nor one whose artifact is not a verified image in the library.
 */
export function offerOf(
  j: HawkbitJournal,
  a: JournalAction,
  look: OfferLookups | undefined,
): { image: HawkbitImage | null; offered: boolean; problem: string | null } {
  const images = look ? a.images.map((id) => look.imageOf(id)) : [];
  const image = images.find((i): i is HawkbitImage => i !== null) ?? null;
  const no = (problem: string) => ({ image, offered: false, problem });
  if (a.state === 'canceled' || a.cancelRequestedAt) {
    const answered = j.queued(`cancel:${a.controllerId}:${a.actionId}`)?.sentAt;
    const next = answered ? `answered to hawkBit at ${answered}` : 'the next sync answers it';
    return no(
      a.state === 'canceled'
        ? `hawkBit canceled this action: it is not offered (${next})`
        : `hawkBit asked to cancel this action after it was installed (${next})`,
    );
  }
  if (a.state === 'installed') return no('Installed at the crane; the result is recorded below');
  if (a.state === 'closed') return no('hawkBit closed this action');
  if (a.state === 'failed')
    return no(
      a.error
        ? `It failed: ${a.error}. hawkBit is told at the next sync; ask there for a new assignment`
        : 'It failed; hawkBit is told at the next sync',
    );
  if (a.state === 'open')
    return no(
      a.deployment.deployment.download === 'skip'
        ? `hawkBit does not want it downloaded yet (download: skip). ${SYNC_AGAIN} later`
        : `Its artifact is not in the library: the sync did not finish downloading it. ${SYNC_AGAIN}`,
    );
  if (a.deployment.deployment.update === 'skip')
    return no(`hawkBit does not want it installed yet (update: skip). ${SYNC_AGAIN} later`);
  if (!look) return { image: null, offered: false, problem: null };
  if (a.images.length === 0)
    return no(
      a.libraryNote
        ? `The image library did not take its artifact (${a.libraryNote}). Have a signed Rigger bundle assigned in hawkBit and sync again; or, by the audited choice, rigger images import ${a.files[0] ?? 'FILE'} --unsigned --version ${versionOf(a)}, then rigger flash ${a.gateway} --image ID --allow-unsigned (tied to this action by its version)`
        : `Its artifact is not in the library. ${SYNC_AGAIN}`,
    );
  if (images.some((i) => i === null))
    return no(`Its image is no longer in the library. ${SYNC_AGAIN} to fetch it once more`);
  if (image && image.signature !== 'verified')
    return no(
      `Its image's signature is ${image.signature}: Rigger installs only verified images (see Images)`,
    );
  return {
    image,
    offered: true,
    // Said at the sync; at the crane Rigger's own window and safety gates decide.
    problem:
      a.deployment.deployment.maintenanceWindow === 'unavailable'
        ? "hawkBit's maintenance window was closed at the sync: install only if the site's window allows it"
        : null,
  };
}
