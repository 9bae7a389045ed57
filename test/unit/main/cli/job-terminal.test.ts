import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { jobTerminal } from '../../../../src/main/cli/job-terminal';
import type { BarStream } from '../../../../src/main/cli/progress-bar';
import { createEvents } from '../../../../src/main/core/events';
import { progressDetails } from '../../../../src/shared/progress-details';

/** A stand-in terminal (named as such): a stream that says it is a TTY and keeps what it gets. */
function fakeTerminal() {
  const stream = new PassThrough() as unknown as BarStream & PassThrough;
  Object.assign(stream, { isTTY: true, columns: 120 });
  let text = '';
  stream.on('data', (c: Buffer) => (text += c.toString('utf8')));
  return { stream, text: () => text };
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('jobTerminal', () => {
  it('ends the bar at the first message after the write: the bar is never drawn below it', async () => {
    const events = createEvents();
    const term = fakeTerminal();
    let heard = 0;
    const off = jobTerminal(events, 'J1', 'Writing', () => heard++, term.stream);
    const progress = (done: number) =>
      events.emit({
        type: 'progress_update',
        job_id: 'J1',
        progress: (100 * done) / 4_000_000,
        current_operation: 'writing_partition',
        eta: '00:00:01',
        details: progressDetails(done, 4_000_000, 1_000_000),
      });
    progress(1_000_000);
    progress(4_000_000);
    events.emit({
      type: 'status_change',
      system_status: 'updating',
      message: 'Verifying the written slot',
      severity: 'info',
      timestamp: new Date().toISOString(),
      job_id: 'J1',
    });
    // cli-progress redraws on a timer: wait several of its frames.
    await settle(400);
    off();
    const out = term.text();
    const at = out.indexOf('Verifying the written slot');
    expect(out.slice(0, at)).toContain('Writing [');
    expect(out.slice(0, at)).toMatch(/4 ?MB/);
    expect(at).toBeGreaterThan(0);
    expect(out.slice(at)).not.toContain('Writing [');
    expect(heard).toBe(1);
  });

  it("ignores another job's progress and status", async () => {
    const events = createEvents();
    const term = fakeTerminal();
    const off = jobTerminal(events, 'J1', 'Writing', () => undefined, term.stream);
    events.emit({
      type: 'progress_update',
      job_id: 'J2',
      progress: 50,
      current_operation: 'writing_partition',
      eta: null,
      details: progressDetails(1, 2, 1),
    });
    events.emit({
      type: 'status_change',
      system_status: 'updating',
      message: 'Other job',
      severity: 'info',
      timestamp: new Date().toISOString(),
      job_id: 'J2',
    });
    await settle(50);
    off();
    expect(term.text()).toBe('');
  });
});
