import { createHash } from 'node:crypto';
import { createReadStream, renameSync, rmSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { RiggerError } from '../../../shared/errors';
import type { SlotId } from '../../../shared/profile';
import { commandToFile } from '../gateways/read-to-file';
import { shq, type GatewaySession } from '../gateways/session';
import type { JobContext } from '../jobs/engine';
import { streamingSession } from '../ota/context';
import { gatewayLink } from '../slots/gateway-link';
import { writeSlot } from '../slots/slot-writer';
import { fileSource } from '../slots/sources';
import { readRecords } from '../slots/status-record';
import type { RecoveryDeps } from './context';
import type { SlotImage, SnapshotRow } from './snapshot-store';

/** The booted slot's record in the status file: what its image is, or why it cannot be taken. */
export async function bootedSlotRecord(
  session: GatewaySession,
  statusFile: string,
  slot: SlotId,
): Promise<{ version: string | null; size: number; sha256: string }> {
  const rec = (await readRecords(session, statusFile))[slot] as
    { version?: string; size?: number; sha256?: string } | undefined;
  if (!rec?.sha256 || !rec.size) {
    throw new RiggerError(
      'VALIDATION_ERROR',
      `Slot ${slot}'s image is not recorded in ${statusFile}: its size and checksum are unknown, so it cannot be taken`,
      { slot, status_file: statusFile },
      ['Snapshot the data paths only', 'Install the image through Rigger first: it records it'],
    );
  }
  return { version: rec.version ?? null, size: rec.size, sha256: rec.sha256 };
}

/** SHA-256 of a stored image's own bytes (uncompressed). */
async function contentHash(file: string, gzip: boolean): Promise<string> {
  const h = createHash('sha256');
  const src: Readable = createReadStream(file);
  await (gzip ? pipeline(src, createGunzip(), h) : pipeline(src, h));
  return h.digest('hex');
}

/**
 * Stream the recorded range of a slot from the gateway into the snapshot folder (compressed on
 * the gateway when asked), then prove the stored image equals the status file's SHA-256. A
 * failure leaves no file behind.
 */
export async function pullSlotImage(
  d: RecoveryDeps,
  ctx: JobContext,
  gateway: string,
  id: string,
  slot: SlotId,
  rec: { version: string | null; size: number; sha256: string },
  gzip: boolean,
): Promise<SlotImage> {
  const { profile, session } = await streamingSession(d, gateway);
  const file = `${id}.slot-${slot}.img${gzip ? '.gz' : ''}`;
  const partial = d.snapshots.path(`${file}.partial`);
  const cmd = `head -c ${rec.size} ${shq(profile.slots[slot].device)}${gzip ? ' | gzip -c' : ''}`;
  try {
    const copied = await commandToFile(
      session,
      cmd,
      partial,
      (bytes, speed) => ctx.progress(bytes, Math.max(bytes + 1, rec.size), speed),
      (r) =>
        new RiggerError(
          'COMMAND_FAILED',
          `The gateway could not read slot ${slot}: ${r.stderr.toString().trim()}`,
          { command: cmd, exit_code: r.code },
          ['Check the slot device on the gateway'],
        ),
    );
    const actual = await contentHash(partial, gzip);
    if (actual !== rec.sha256) {
      throw new RiggerError(
        'OTA_007',
        `Slot ${slot} does not hold the image its record names: nothing was kept`,
        { slot, expected: `sha256:${rec.sha256}`, actual: `sha256:${actual}` },
        ['Snapshot the data paths only', 'Reinstall the slot from the image library'],
      );
    }
    renameSync(partial, d.snapshots.path(file));
    return {
      slot,
      version: rec.version,
      file,
      size: rec.size,
      sha256: rec.sha256,
      file_sha256: copied.sha256,
    };
  } finally {
    rmSync(partial, { force: true });
  }
}

/**
 * Write a snapshot's slot image into `target` (never the booted slot) through the verified slot
 * writer, exactly as an update does: the slot made unbootable and its record cleared first, the
 * image streamed with checkpoints, the gateway's own read-back equal to the image's SHA-256,
 * then the record. The slot is not selected: a rollback to it boots it, after proving it again.
 */
export async function pushSlotImage(
  d: RecoveryDeps,
  ctx: JobContext,
  gateway: string,
  snap: SnapshotRow,
  img: SlotImage,
  target: SlotId,
  booted: SlotId,
): Promise<void> {
  const imageId = `snapshot:${snap.id}`;
  await writeSlot({
    ctx,
    link: gatewayLink(d.gateways, gateway),
    source: fileSource(d.snapshots.path(img.file), {
      id: imageId,
      version: img.version,
      size: img.size,
      sha256: img.sha256,
    }),
    target,
    booted,
    record: { ...(img.version ? { version: img.version } : {}), image_id: imageId },
    timings: d.timings,
    journal: {
      steps: {
        disable: 'disable_target',
        write: 'write_slot',
        verify: 'verify_slot',
        record: 'record_status_file',
      },
      disabledKey: 'slot_disabled',
      writing: { status: 'installing', operation: 'writing_slot_image' },
    },
    sentMismatch: (actual) =>
      new RiggerError(
        'OTA_007',
        `Snapshot ${snap.id}'s slot image read back from this laptop does not match its checksum`,
        { expected: `sha256:${img.sha256}`, actual: `sha256:${actual}`, where: 'laptop' },
        ['Slot left unbootable; nothing else changed', 'Use another snapshot'],
      ),
    readBackMismatch: (actual) =>
      new RiggerError(
        'OTA_007',
        `Slot ${target} does not hold the snapshot's image: the gateway read back a different SHA-256`,
        { expected: `sha256:${img.sha256}`, actual: `sha256:${actual}`, slot: target },
        ['The slot stays unbootable', 'Run the restore again', 'Check the storage of the gateway'],
      ),
  });
}
