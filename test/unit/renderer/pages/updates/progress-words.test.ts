import { describe, expect, it } from 'vitest';
import { stallWords } from '../../../../../src/renderer/src/pages/updates/StallNotice';
import {
  forwardStep,
  runHeading,
  stepIndex,
} from '../../../../../src/renderer/src/pages/updates/update-view';

describe('the progress view in words', () => {
  it('never sends the steps back: the snapshot after Verify stays past Check', () => {
    let at = 0;
    for (const op of ['checking_image_and_gateway', 'writing_image', 'verifying_written_slot'])
      at = forwardStep(at, op);
    expect(at).toBe(stepIndex('verifying_written_slot'));
    expect(forwardStep(at, 'creating_snapshot')).toBe(at);
    expect(forwardStep(at, 'pending')).toBe(at);
    expect(forwardStep(at, 'updating_bootloader')).toBe(stepIndex('updating_bootloader'));
  });

  it('says in the heading how it ended', () => {
    expect(runHeading('gw', 'v5.1.1', null)).toBe('Installing v5.1.1 on gw');
    expect(runHeading('gw', 'v5.1.1', 'success')).toBe('Done: gw runs v5.1.1');
    expect(runHeading('gw', 'v5.1.1', 'failed')).toBe('The update of gw to v5.1.1 did not finish');
    expect(runHeading('gw', 'v5.1.1', 'cancelled')).toBe(
      'The update of gw to v5.1.1 was cancelled',
    );
  });

  it('says a stall before any retry, and the way out', () => {
    const w = stallWords('gw', { seconds: 3, retry: null });
    expect(w.title).toBe('No data from gw for 3 s · speed 0 B/s');
    expect(w.doing).toMatch(/reconnects and resumes from the last proven checkpoint/);
    expect(w.wayOut).toMatch(/Check the network cable and that gw has power/);
  });
});
