/** Bytes done, speed and ETA of a long transfer, for progress events and bars. */
export interface Progress {
  bytes: number;
  total: number | null;
  percent: number | null;
  bytes_per_second: number;
  eta_seconds: number | null;
  elapsed_seconds: number;
}

/** Track a transfer; `report` is called at most every `intervalMs`, and once at the end. */
export function progressTracker(
  total: number | null,
  report: (p: Progress) => void,
  intervalMs = 250,
) {
  const start = Date.now();
  let bytes = 0;
  let last = 0;
  const snapshot = (): Progress => {
    const elapsed = (Date.now() - start) / 1000;
    const speed = elapsed > 0 ? bytes / elapsed : 0;
    return {
      bytes,
      total,
      percent: total ? Math.min(100, Math.round((1000 * bytes) / total) / 10) : null,
      bytes_per_second: Math.round(speed),
      eta_seconds: total && speed > 0 ? Math.max(0, Math.round((total - bytes) / speed)) : null,
      elapsed_seconds: Math.round(elapsed * 10) / 10,
    };
  };
  return {
    add(n: number) {
      bytes += n;
      const now = Date.now();
      if (now - last >= intervalMs) {
        last = now;
        report(snapshot());
      }
    },
    done() {
      report(snapshot());
    },
  };
}

/** "00:05:00" as the seed writes an ETA. */
export function formatEta(seconds: number | null): string | null {
  if (seconds === null) return null;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.floor(seconds % 60);
  return [h, m, s].map((v) => String(v).padStart(2, '0')).join(':');
}
