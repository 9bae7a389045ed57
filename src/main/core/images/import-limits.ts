import { statfsSync } from 'node:fs';
import { RiggerError } from '../../../shared/errors';
import { manifestSchema } from '../../../shared/images';
import { parseOrThrow } from '../../../shared/validation';
import type { BundleLimits } from './bundle-reader';
import type { ImportDeps } from './importer';
import { verifyManifestSignature } from './signature';

/** Free space kept on the laptop's disk whatever an import wants. */
const DISK_RESERVE = 256 * 1024 * 1024;

/** The bytes an import may still write: the library quota left and the disk's free space. */
export function roomLeft(deps: Pick<ImportDeps, 'store' | 'library' | 'quotaBytes'>): {
  bytes: number;
  error: (needed: number) => RiggerError;
} {
  const used = deps.quotaBytes > 0 ? deps.library.usage(deps.quotaBytes).bytes : 0;
  const quotaLeft = deps.quotaBytes > 0 ? Math.max(0, deps.quotaBytes - used) : Infinity;
  let diskLeft = Infinity;
  try {
    const fs = statfsSync(deps.store.dir);
    diskLeft = Math.max(0, fs.bavail * fs.bsize - DISK_RESERVE);
  } catch {
    // No figure for this disk: the quota bounds it, and ENOSPC still stops a write.
  }
  const byQuota = quotaLeft <= diskLeft;
  const bytes = Math.min(quotaLeft, diskLeft);
  return {
    bytes,
    error: (needed) =>
      new RiggerError(
        'OTA_003',
        byQuota
          ? `The image would exceed the library's quota (${needed} bytes, ${bytes} left of ${deps.quotaBytes}): nothing was imported`
          : `The image does not fit on this laptop's disk (${needed} bytes, ${bytes} free): nothing was imported`,
        { needed, room: bytes, bound: byQuota ? 'quota' : 'disk' },
        byQuota
          ? ['Delete images you no longer need', 'Raise the quota in Settings']
          : ['Free disk space, then import again'],
      ),
  };
}

/** Bounds for a bundle: its manifest (checked, and verified when signed) and the room left. */
export function bundleLimits(deps: ImportDeps): BundleLimits {
  return {
    room: () => roomLeft(deps),
    declared(manifest, sig, crt) {
      let raw: unknown;
      try {
        raw = JSON.parse(manifest.toString('utf8'));
      } catch {
        throw new RiggerError(
          'VALIDATION_ERROR',
          'Invalid bundle: manifest.json is not valid JSON',
        );
      }
      const m = parseOrThrow(manifestSchema, raw, 'Manifest');
      if (sig)
        verifyManifestSignature(manifest, sig, crt?.toString('utf8') ?? null, deps.trust.anchors());
      return { stored: m.image.compressed_size, raw: m.image.size };
    },
  };
}
