import prettyBytes from 'pretty-bytes';

/*
 * One unit convention for sizes everywhere (UI, CLI, the core's seed answers): decimal SI
 * units (kB, MB, GB; 1 MB = 1,000,000 bytes) as pretty-bytes writes them, the way a USB
 * stick's label counts. Three significant digits: 62.9 MB, 452 MB, 1.2 GB.
 */

/** A size for people: "62.9 MB", "0 B". */
export function formatBytes(bytes: number): string {
  return prettyBytes(Number.isFinite(bytes) ? Math.max(0, bytes) : 0);
}

/** A speed for people: "2.5 MB/s". */
export function formatSpeed(bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond)}/s`;
}

/** A size as the seed writes it in JSON ("62.9MB", no space); null when unknown or invalid. */
export function seedSize(bytes: number | null | undefined): string | null {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return null;
  return prettyBytes(bytes, { space: false });
}

/** A speed as the seed writes it in JSON ("2.5MB/s"); null when nothing moves. */
export function seedSpeed(bytesPerSecond: number): string | null {
  return bytesPerSecond > 0 ? `${seedSize(bytesPerSecond)}/s` : null;
}

/** Bytes as the seed's `size` beside `size_unit: 'MB'`: decimal megabytes, one decimal place. */
export function megabytes(bytes: number): number {
  return Math.round((bytes / 1_000_000) * 10) / 10;
}
