import { RiggerError } from '../../../shared/errors';
import type { LibraryImage } from '../../../shared/images';
import type { Profile, SlotId } from '../../../shared/profile';
import type { SlotBasis } from '../../../shared/update-plan';
import type { GatewaySession } from '../gateways/session';
import type { PlanRange } from '../slots/contract';
import type { SlotRecord } from '../gateways/status-file';
import { gatewayPrefixHash } from '../slots/read-back';

/** A slot's basis with the library image it names; `claimed`: named, its hash still to come. */
export type KnownBasis = SlotBasis & { image: LibraryImage | null; claimed: boolean };

/**
 * What a slot holds, as far as Rigger can prove it: the status file's entry names an image by
 * its SHA-256 and size, the library must hold that image (its block index is what a delta plans
 * from), and the gateway's own hash of the slot's first `size` bytes must equal it (rule 3's
 * read-back, run before anything is written). Anything less is "not proven", with the reason.
 * With `hash` false the gateway is not read: a slot the status file and library agree on is
 * `claimed`, for a job that proves it while the delta's new blocks travel (`proveSlots`).
 */
export async function slotBasis(
  session: GatewaySession,
  profile: Profile,
  slot: SlotId,
  record: SlotRecord | undefined,
  library: LibraryImage[],
  hash = true,
): Promise<KnownBasis> {
  const none = (detail: string, extra: Partial<SlotBasis> = {}) => ({
    slot,
    image_id: null,
    version: record?.version ?? null,
    sha256: record?.sha256 ?? null,
    proven: false,
    detail,
    image: null,
    claimed: false,
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
  if (!hash) {
    return {
      slot,
      ...named,
      sha256: image.sha256,
      proven: false,
      detail: `slot ${slot} holds ${image.version} by the status file; the gateway's hash proves it before any block is placed`,
      image,
      claimed: true,
    };
  }
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
    claimed: false,
  };
}

/** Is this the refusal of a delta whose slots did not hold what their status file claimed? */
export const isBasisRefused = (err: unknown): err is RiggerError =>
  err instanceof RiggerError && err.details.refused === 'delta_basis';

/**
 * The gateway's proof of claimed slots, all hashed at once: resolves when each holds its image,
 * throws (`isBasisRefused`) naming the first that does not. A dropped link throws the link's
 * error, so the writer retries it.
 */
export function proveSlots(
  profile: Profile,
  claims: Array<{ slot: SlotId; image: LibraryImage }>,
): (session: GatewaySession) => Promise<void> {
  return async (session) => {
    const hashes = await Promise.all(
      claims.map((c) => gatewayPrefixHash(session, profile.slots[c.slot].device, c.image.size)),
    );
    claims.forEach((c, i) => {
      if (hashes[i] !== c.image.sha256) {
        throw new RiggerError(
          'OTA_007',
          `slot ${c.slot}: the status file says it holds ${c.image.version}, but the gateway's hash of the slot differs`,
          { refused: 'delta_basis', slot: c.slot, expected: c.image.sha256, actual: hashes[i] },
        );
      }
    });
  };
}

type SlotImage = { slot: SlotId; image: LibraryImage | null };

/**
 * Of the slots given with an image to prove, those a delta's ranges read: the target for its
 * kept blocks, the booted slot for its copies.
 */
export function slotsRead(
  ranges: PlanRange[],
  target: SlotImage,
  booted: SlotImage,
): Array<{ slot: SlotId; image: LibraryImage }> {
  return [
    { ...target, kind: 'keep' },
    { ...booted, kind: 'copy' },
  ]
    .filter((c) => c.image && ranges.some((r) => r.kind === c.kind))
    .map((c) => ({ slot: c.slot, image: c.image! }));
}
