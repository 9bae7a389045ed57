import { seedSize, seedSpeed } from './format/bytes';

/**
 * A progress_update's `details`: the seed's `bytes_written`, `bytes_total` and `speed` as it
 * writes them ("385MB", "452MB", "5.2MB/s"), and the same figures as numbers under names of
 * their own for programs that compute with them.
 */
export type ProgressDetails = {
  bytes_written: string;
  bytes_total: string | null;
  speed: string;
  written_bytes: number;
  total_bytes: number | null;
  bytes_per_second: number;
};

/** The details of a progress event for `done` of `total` bytes at `bytesPerSecond`. */
export function progressDetails(
  done: number,
  total: number | null,
  bytesPerSecond: number,
): ProgressDetails {
  const bps = Number.isFinite(bytesPerSecond) && bytesPerSecond > 0 ? bytesPerSecond : 0;
  return {
    bytes_written: seedSize(done) ?? '0B',
    bytes_total: total ? seedSize(total) : null,
    speed: seedSpeed(bps) ?? '0B/s',
    written_bytes: done,
    total_bytes: total || null,
    bytes_per_second: bps,
  };
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The numeric figures of an event's details, null where the event has none. */
export function progressFigures(details: Record<string, unknown>): {
  done: number | null;
  total: number | null;
  bytesPerSecond: number | null;
} {
  return {
    done: num(details.written_bytes),
    total: num(details.total_bytes),
    bytesPerSecond: num(details.bytes_per_second),
  };
}
