import { describe, expect, it } from 'vitest';
import { UpdateTracker } from '../../../../src/main/core/plugins/tracker';
import { otaProgressSchema, type TerminalLine } from '../../../../src/shared/plugins';

describe('update tracker and terminal lines', () => {
  it('goes pending, in_progress, complete with the seed shapes and message', () => {
    const t = new UpdateTracker();
    const { response } = t.start('Plugin update queued');
    expect(response).toMatchObject({ success: true, status: 'pending', progress: 0 });
    expect(t.progress(response.update_id).status).toBe('pending');
    t.step(response.update_id, 40, 'Staging');
    expect(otaProgressSchema.parse(t.progress(response.update_id))).toEqual({
      success: true,
      status: 'in_progress',
      progress: 40,
      message: 'Staging',
    });
    t.complete(response.update_id);
    expect(t.progress(response.update_id)).toEqual({
      success: true,
      status: 'complete',
      progress: 100,
      message: 'Operation completed successfully',
    });
  });

  it('keeps the last progress on error and says why', () => {
    const t = new UpdateTracker();
    const { response } = t.start('x');
    t.step(response.update_id, 60, 'Proving');
    t.fail(response.update_id, 'checksum mismatch');
    expect(t.progress(response.update_id)).toEqual({
      success: false,
      status: 'error',
      progress: 60,
      message: 'Proving',
      error: 'checksum mismatch',
    });
    expect(t.progress('unknown').status).toBe('not_found');
  });

  it('splits gateway output into lines, for listeners and late readers alike', async () => {
    const seen: TerminalLine[] = [];
    const t = new UpdateTracker((term) => term.on('line', (l) => seen.push(l)));
    const { response, terminal } = t.start('x');
    terminal.write('stdout', 'Stopping plu');
    terminal.write('stdout', Buffer.from('gin a\r\nStarting'));
    terminal.write('stderr', 'warn\n');
    t.complete(response.update_id);
    const late: string[] = [];
    for await (const l of terminal) late.push(`${l.stream}:${l.line}`);
    expect(late).toEqual([
      'stdout:Stopping plugin a',
      'stderr:warn',
      'stdout:Starting',
      'rigger:Operation completed successfully',
    ]);
    expect(seen.map((l) => l.line)).toEqual(late.map((l) => l.split(':')[1]));
  });
});
