import type { LibraryImage } from '../../../shared/images';
import type { Profile, SlotId } from '../../../shared/profile';
import type { SlotBasis } from '../../../shared/update-plan';
import type { GatewaySession } from '../gateways/session';
import type { SlotRecord } from '../gateways/status-file';
import { gatewayPrefixHash } from '../slots/read-back';

/**
 * What a slot holds, as far as Rigger can prove it: the status file's entry names an image by
 * its SHA-256 and size, the library must hold that image (its block index is what a delta plans
 * from), and the gateway's own hash of the slot's first `size` bytes must equal it (rule 3's
 * read-back, run before anything is written). Anything less is "not proven", with the reason.
 */
export async function slotBasis(
  session: GatewaySession,
  profile: Profile,
  slot: SlotId,
  record: SlotRecord | undefined,
  library: LibraryImage[],
): Promise<SlotBasis & { image: LibraryImage | null }> {
  const none = (detail: string, extra: Partial<SlotBasis> = {}) => ({
    slot,
    image_id: null,
    version: record?.version ?? null,
    sha256: record?.sha256 ?? null,
    proven: false,
    detail,
    image: null,
    ...extra,
  });
  if (!record?.sha256 || !record.size) {
    return none(`slot ${slot}: the status file names no image for it`);
  }
  const image =
    library.find((i) => i.id === record.image_id && i.sha256 === record.sha256) ??
    library.find((i) => i.sha256 === record.sha256 && i.size === record.size);
  if (!image || image.size !== record.size) {
    return none(
      `slot ${slot}: the image the status file names (${record.version ?? record.sha256.slice(0, 12)}) is not in the library`,
    );
  }
  const named = { image_id: image.id, version: image.version };
  const actual = await gatewayPrefixHash(session, profile.slots[slot].device, image.size);
  if (actual !== image.sha256) {
    return none(
      `slot ${slot}: the status file says it holds ${image.version}, but the gateway's hash of the slot differs`,
      named,
    );
  }
  return {
    slot,
    ...named,
    sha256: image.sha256,
    proven: true,
    detail: `slot ${slot} holds ${image.version}, proven by the gateway's hash`,
    image,
  };
}
