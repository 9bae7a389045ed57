import { progressFigures } from '../../shared/progress-details';
import type { CoreEvents } from '../core/events';
import { terminalBar, type BarStream } from './progress-bar';

/**
 * Draw one job's progress on a terminal from the core's events: a bar while bytes move, then
 * the job's status and system messages. The first message after the bytes ends the bar, so it
 * is never redrawn below them (a stale "99%" after the write). `onEvent` hears every event.
 * Returns the unsubscribe, which also ends the bar.
 */
export function jobTerminal(
  events: CoreEvents,
  jobId: string,
  label: string,
  onEvent: () => void,
  stream: BarStream = process.stderr,
): () => void {
  const bar = terminalBar(label, stream);
  let last = 0;
  const say = (text: string) => {
    bar.done();
    if (stream.isTTY) stream.write(`${text}\n`);
  };
  const offs = [
    events.on('progress_update', (e) => {
      if (e.job_id !== jobId) return;
      const { done, total } = progressFigures(e.details);
      if (done !== null && done > last) bar.add(done - last, total ?? undefined);
      if (done !== null) last = done;
    }),
    events.on('status_change', (e) => {
      if (e.job_id === undefined || e.job_id === jobId) say(e.message);
      onEvent();
    }),
    events.on('system_event', (e) => {
      say(e.message);
      onEvent();
    }),
    events.on('job_complete', (e) => {
      if (e.job_id === jobId) onEvent();
    }),
  ];
  return () => {
    for (const off of offs) off();
    bar.done();
  };
}
