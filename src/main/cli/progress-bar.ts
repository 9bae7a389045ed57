import { SingleBar } from 'cli-progress';
import { formatBytes, formatSpeed } from '../../shared/format/bytes';
import { formatEta, progressTracker, type Progress } from '../core/util/progress';

/** What the bar draws to: stderr, or any stream that says it is a terminal. */
export type BarStream = NodeJS.WriteStream;

/** A progress bar's two calls: bytes done so far (with the total once known), and the end. */
export interface TerminalBar {
  add(n: number, total?: number): void;
  done(): void;
}

const silent: TerminalBar = { add: () => undefined, done: () => undefined };

/** The tokens of one line: done, speed and ETA come from the tracker, as the job events have them. */
const tokens = (p: Progress) => ({
  pct: String(p.percent ?? 0).padStart(5),
  done: formatBytes(p.bytes),
  speed: formatSpeed(p.bytes_per_second),
  eta_hms: formatEta(p.eta_seconds) ?? '--:--:--',
});

/**
 * A one-line progress bar on a terminal (bytes, speed, ETA), drawn by cli-progress; silent when
 * the stream is not a TTY. After `done` the line is final: nothing redraws it.
 */
export function terminalBar(label: string, stream: BarStream = process.stderr): TerminalBar {
  if (!stream.isTTY) return silent;
  let tracker: ReturnType<typeof progressTracker> | null = null;
  let bar: SingleBar | null = null;
  let ended = false;
  const draw = (p: Progress) => {
    if (ended) return;
    if (!bar) {
      bar = new SingleBar({
        stream,
        format: `${label} [{bar}] {pct}% {done} at {speed}, ETA {eta_hms}`,
        barsize: 30,
        barCompleteChar: '#',
        barIncompleteChar: '.',
        hideCursor: false,
        clearOnComplete: false,
        stopOnComplete: false,
        gracefulExit: false,
      });
      bar.start(100, 0, tokens(p));
    }
    bar.update(p.percent ?? 0, tokens(p));
  };
  return {
    add(n, total) {
      if (ended) return;
      tracker ??= progressTracker(total ?? null, draw);
      tracker.add(n);
    },
    done() {
      if (ended) return;
      tracker?.done();
      ended = true;
      // stop() draws the last state once, ends the line and clears cli-progress's redraw timer.
      (bar as SingleBar | null)?.stop();
    },
  };
}
