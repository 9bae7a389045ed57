import { coerce, compare } from 'semver';
import type { Firmware, OtaCheck } from '../../../shared/fleet-ota';

/** Order two version strings: semver when both are, else plain text order (never throws). */
export function compareVersions(a: string, b: string): number {
  const ca = coerce(a);
  const cb = coerce(b);
  if (ca && cb) {
    const c = compare(ca, cb);
    if (c !== 0) return c;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The seed's "Check for Updates" answer for a device of `deviceType` running `current`: the
 * newest firmware of its type, offered when it is newer than what the device runs (or the device
 * does not say what it runs). `downloadUrl` names where a device fetches a version.
 */
export function otaCheckFor(
  firmware: readonly Firmware[],
  deviceType: string,
  current: string | null,
  downloadUrl: (f: Firmware) => string | null = () => null,
): OtaCheck {
  const mine = firmware
    .filter((f) => f.device_type === deviceType)
    .sort((a, b) => compareVersions(b.version, a.version));
  const latest = mine[0];
  const available = !!latest && (current === null || compareVersions(latest.version, current) > 0);
  return {
    update_available: available,
    current_version: current,
    latest_version: latest?.version ?? null,
    download_url: available && latest ? downloadUrl(latest) : null,
    checksum: available && latest ? latest.checksum : null,
    size: available && latest ? latest.size : null,
    release_notes: available && latest ? latest.release_notes : null,
    // Mandatory when any skipped-over newer version was marked so.
    mandatory:
      available &&
      mine.some(
        (f) => f.mandatory && (current === null || compareVersions(f.version, current) > 0),
      ),
  };
}
