import { formatBytes, formatSpeed } from '../../shared/format/bytes';
import { formatEta, progressTracker } from '../core/util/progress';

/** A one-line progress bar on a terminal (bytes, speed, ETA); silent when stderr is not a TTY. */
export function terminalBar(label: string) {
  if (!process.stderr.isTTY)
    return { add: (_n: number, _t?: number) => undefined, done: () => undefined };
  let tracker: ReturnType<typeof progressTracker> | null = null;
  return {
    add(n: number, total?: number) {
      tracker ??= progressTracker(total ?? null, (p) => {
        const width = 30;
        const filled = Math.round(((p.percent ?? 0) / 100) * width);
        process.stderr.write(
          `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(p.percent ?? 0).padStart(5)}% ` +
            `${formatBytes(p.bytes)} at ${formatSpeed(p.bytes_per_second)}, ETA ${formatEta(p.eta_seconds) ?? '--:--:--'}   `,
        );
      });
      tracker.add(n);
    },
    done() {
      tracker?.done();
      if (tracker) process.stderr.write('\n');
    },
  };
}
