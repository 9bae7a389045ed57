import { RiggerError } from '../../../shared/errors';
import type { SlotId } from '../../../shared/profile';
import { otherSlot } from '../bootloader/slots';
import type { GatewayService } from '../gateways/service';
import type { ImageService } from '../images/types';
import type { JobContext } from '../jobs/engine';
import type { SlotSource } from '../slots/contract';
import { gatewayLink } from '../slots/gateway-link';
import { writeSlot } from '../slots/slot-writer';
import { librarySource, slice } from '../slots/sources';
import type { ManifestSystem } from './manifest';
import type { BackupRepository } from './repository';

/** The backup's system image as the slot writer reads it: from the store, or the library. */
export function systemSource(
  repo: BackupRepository,
  images: ImageService,
  backupId: string,
  encrypted: boolean,
  sys: ManifestSystem,
): SlotSource {
  if (!sys.stored) {
    const image = images.library.list().find((i) => i.sha256 === sys.image_sha256);
    if (!image)
      throw new RiggerError(
        'RESTORE_FAILED',
        `Backup ${backupId} records its system image by SHA-256, and the image library no longer holds it`,
        { image_sha256: sys.image_sha256, version: sys.version },
        [`Import the image ${sys.version ?? sys.image_sha256} into the library again`],
      );
    return librarySource(images, image.id);
  }
  const objects = repo.objects(encrypted);
  const name = objects.name(sys.image_sha256);
  return {
    id: `backup:${backupId}`,
    version: sys.version,
    size: sys.size,
    sha256: sys.image_sha256,
    open: (range) => (range ? slice(objects.read(name), range) : objects.read(name)),
    stored: { compression: 'none', size: sys.size, open: () => objects.read(name) },
  };
}

/**
 * Write the backup's system image into the slot not booted, through the verified slot writer
 * (the slot made unbootable first, the gateway's read-back proving it, then its record). The
 * slot is not selected: a rollback to it boots it, after proving it again.
 */
export async function restoreSystemSlot(
  d: { gateways: GatewayService; images: ImageService },
  ctx: JobContext,
  gateway: string,
  source: SlotSource,
  booted: SlotId,
  timings: { checkpointBytes: number; writeRetries: number },
): Promise<SlotId> {
  const target = otherSlot(booted);
  ctx.state({ target });
  const mismatch = (what: string) => (actual: string) =>
    new RiggerError(
      'OTA_007',
      `The system image ${what} does not match the backup (${actual.slice(0, 16)}…)`,
      { expected: source.sha256, actual, target },
      ['Verify the backup', 'Restore from another backup'],
    );
  await writeSlot({
    ctx,
    link: gatewayLink(d.gateways, gateway),
    source,
    target,
    booted,
    record: { ...(source.version ? { version: source.version } : {}), image_id: source.id },
    timings,
    journal: {
      steps: {
        disable: 'disable_target',
        write: 'write_system_slot',
        verify: 'verify_system_slot',
        record: 'record_status_file',
      },
      disabledKey: 'slot_disabled',
      writing: { status: 'installing', operation: 'writing_system_image' },
    },
    sentMismatch: mismatch('sent'),
    readBackMismatch: mismatch('the gateway read back'),
  });
  return target;
}
