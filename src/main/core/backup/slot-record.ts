import { RiggerError } from '../../../shared/errors';
import type { SlotId } from '../../../shared/profile';
import type { GatewaySession } from '../gateways/session';
import { readRecords } from '../slots/status-record';

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
      ['Back up the file components only', 'Install the image through Rigger first: it records it'],
    );
  }
  return { version: rec.version ?? null, size: rec.size, sha256: rec.sha256 };
}
