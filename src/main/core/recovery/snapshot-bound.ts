import { statfsSync } from 'node:fs';
import { RiggerError } from '../../../shared/errors';

/** Headroom over the gateway's own estimate (tar headers, files that grew meanwhile). */
const SLACK = 64 * 1024 * 1024;
/** Free space kept on the laptop's disk whatever a snapshot wants. */
const DISK_RESERVE = 256 * 1024 * 1024;

/**
 * How many bytes a snapshot archive may take on this laptop: twice what the gateway announced
 * (`du`) plus slack, and never past the disk's free space. A gateway that sends more (hostile,
 * or sparse files `du` undercounts) is cut off, and nothing is kept.
 */
export function snapshotBound(
  estimate: number,
  dir: string,
): { bytes: number; error: (got: number) => RiggerError } {
  let disk = Number.POSITIVE_INFINITY;
  try {
    const fs = statfsSync(dir);
    disk = Math.max(0, fs.bavail * fs.bsize - DISK_RESERVE);
  } catch {
    // No figure for this disk: the estimate bounds it, and ENOSPC still stops a write.
  }
  const announced = 2 * Math.max(0, estimate) + SLACK;
  const bytes = Math.min(announced, disk);
  return {
    bytes,
    error: (got) =>
      new RiggerError(
        'OTA_003',
        bytes === disk
          ? `The snapshot does not fit on this laptop's disk (more than ${bytes} bytes free): stopped, nothing kept`
          : `The gateway sent more than ${bytes} bytes for a snapshot it estimated at ${estimate}: stopped, nothing kept`,
        { estimate, bound: bytes, received: got },
        [
          'Check the data paths on the gateway (sparse or growing files)',
          'Free disk space on this laptop',
        ],
      ),
  };
}
