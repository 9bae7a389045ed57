import { RiggerError } from '../../../shared/errors';
import type { LibraryImage } from '../../../shared/images';
import type { Profile, SlotId } from '../../../shared/profile';
import type { GatewayStatus } from '../../../shared/status';
import { otherSlot } from '../bootloader/slots';
import { fitOf, fits } from '../images/offers';

/**
 * The slot to write: the one not booted (rule 1). Refuses when the boot state is inconsistent
 * or unknown, and when the caller names the booted slot (OTA_008).
 */
export function pickTarget(
  status: GatewayStatus,
  wanted: SlotId | undefined,
): { booted: SlotId; target: SlotId } {
  const boot = status.boot;
  if (!boot || !boot.consistent || !boot.booted_slot) {
    throw new RiggerError(
      'OTA_008',
      'The booted slot is not known for sure (bootloader environment and kernel command line disagree or cannot be read): nothing is written',
      { boot_consistent: boot?.consistent ?? null, warnings: status.warnings },
      ['Check the gateway status page', 'Fix the boot environment from the serial console'],
    );
  }
  const booted = boot.booted_slot;
  const target = wanted ?? otherSlot(booted);
  if (target === booted) {
    throw new RiggerError(
      'OTA_008',
      `Slot ${target} is the booted slot: Rigger never writes to it`,
      { requested: target, booted },
      [`Write to slot ${otherSlot(booted)} instead`],
    );
  }
  return { booted, target };
}

/**
 * Rule 4: signed by a trusted key (or unsigned with an explicit choice), fits the gateway's
 * model, hardware revision and prerequisites, and fits the slot (OTA_003).
 */
export function checkImage(
  image: LibraryImage,
  status: GatewayStatus,
  profile: Profile,
  target: SlotId,
  opts: { allowUnsigned: boolean; verifySignature: boolean },
): void {
  if (image.signature === 'invalid') {
    throw new RiggerError(
      'OTA_006',
      `The signature of image ${image.id} does not verify`,
      { image: image.id },
      ['Re-import the bundle from its source'],
    );
  }
  if (image.signature === 'unsigned' && !(opts.allowUnsigned || !opts.verifySignature)) {
    throw new RiggerError(
      'OTA_006',
      `Image ${image.id} is unsigned: writing it needs an explicit, audited choice`,
      { image: image.id, signature: image.signature },
      ['Use a signed bundle', 'Or allow unsigned images for this job (it is audited)'],
    );
  }
  const g = fitOf(status);
  // A loose image has no manifest to say what it fits: only the explicit, audited unsigned
  // choice above lets it through, and its fit is then the technician's call.
  const unknownFit = image.compatible === null && image.signature === 'unsigned';
  if (!unknownFit && !fits(image.compatible, image.prerequisites, g)) {
    throw new RiggerError(
      'OTA_005',
      `Image ${image.id} (${image.version}) does not fit this gateway`,
      {
        image: image.id,
        compatible: image.compatible,
        prerequisites: image.prerequisites,
        gateway: g,
      },
      [
        'Pick an image made for this model and hardware revision',
        'Install the prerequisite version first',
      ],
    );
  }
  const slotSize = profile.slots[target].size_bytes;
  if (image.size > slotSize) {
    throw new RiggerError(
      'OTA_003',
      `Image ${image.id} (${image.size} bytes) does not fit slot ${target} (${slotSize} bytes)`,
      { image_size: image.size, slot_size: slotSize, slot: target },
      ['Use an image made for this gateway'],
    );
  }
}
