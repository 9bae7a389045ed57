import { describe, expect, it } from 'vitest';
import type { RiggerErrorData } from '../../../../../src/shared/errors';
import type { UpdateProgress } from '../../../../../src/shared/ota';
import {
  attemptsLeft,
  cancelable,
  elapsedNow,
  lockoutOf,
  outcomeOf,
  stepIndex,
} from '../../../../../src/renderer/src/pages/updates/update-view';
import { sampleProgress } from '../../ota-samples';

const progress = (
  status: UpdateProgress['status'],
  error: Partial<RiggerErrorData> | null = null,
) => sampleProgress(status, error);

describe('update steps', () => {
  it('places each operation of the core in its named step', () => {
    expect(stepIndex('checking_image_and_gateway')).toBe(0);
    expect(stepIndex('writing_image')).toBe(1);
    expect(stepIndex('verifying_written_slot')).toBe(2);
    expect(stepIndex('updating_bootloader')).toBe(3);
    expect(stepIndex('waiting_for_gateway')).toBe(4);
    expect(stepIndex('committing')).toBe(5);
    expect(stepIndex('something_new')).toBe(0);
  });

  it('offers cancel only before anything switched', () => {
    for (const s of ['pending', 'downloading', 'verifying', 'downloaded', 'paused_safety'])
      expect(cancelable(s)).toBe(true);
    for (const s of ['installing', 'rebooting', 'verifying_boot', 'success', 'failed'])
      expect(cancelable(s)).toBe(false);
  });
});

describe('the result of an update', () => {
  it('says committed on which slot', () => {
    const v = outcomeOf('crane-7', 'v5.0.5', 'success', progress('success'), null);
    expect(v.kind).toBe('committed');
    expect(v.title).toBe('crane-7 runs v5.0.5 from slot B: booted, healthy, committed.');
  });

  it('names a rollback, the slot it is back on and the reason', () => {
    const p = progress('failed', {
      code: 'OTA_012',
      message: 'The gateway came back on slot A',
      details: { rollback: true, target: 'B', booted: 'A', reason: 'new slot failed to boot' },
      suggested_actions: ['The gateway runs its previous version'],
    });
    const v = outcomeOf('crane-7', 'v5.0.5', 'failed', p, 'The gateway came back on slot A');
    expect(v).toMatchObject({
      kind: 'rolled_back',
      title: 'Rolled back: crane-7 is back on slot A',
      actions: ['The gateway runs its previous version'],
      console: false,
      code: 'OTA_012',
    });
    expect(v.reason).toMatch(/^Reason: new slot failed to boot\. The gateway came back/);
  });

  it('a gateway that did not come back points to the serial console', () => {
    const p = progress('failed', {
      code: 'HOST_UNREACHABLE',
      details: { target: 'B', bootloader_falls_back: true },
      suggested_actions: ['Connect the serial console (115200 8N1) and look at what it prints'],
    });
    p.progress.current_operation = 'waiting_for_gateway';
    const v = outcomeOf('crane-7', 'v5.0.5', 'failed', p, 'crane-7 did not come back within 30 s');
    expect(v).toMatchObject({
      kind: 'unreachable',
      title: 'crane-7 did not come back after the reboot',
      reason: 'crane-7 did not come back within 30 s',
      console: true,
    });
  });

  it('a lost link during the write is a plain failure, not "did not come back"', () => {
    const p = progress('downloading', { code: 'HOST_UNREACHABLE', suggested_actions: [] });
    expect(outcomeOf('gw', 'v1', 'failed', p, 'link lost').kind).toBe('failed');
  });

  it('a cancel says the booted slot was kept', () => {
    const v = outcomeOf('gw', 'v1', 'cancelled', progress('cancelled'), null);
    expect(v.kind).toBe('cancelled');
    expect(v.reason).toBe(
      'Nothing was switched: gw keeps running its current slot; slot B stays unbootable.',
    );
    expect(
      outcomeOf('gw', 'v1', 'cancelled', progress('cancelled'), 'Stopped by Ana.').reason,
    ).toMatch(/^Stopped by Ana\. Nothing was switched/);
  });

  it('drops suggested actions that are not text', () => {
    const p = progress('failed', { code: 'OTA_007', suggested_actions: ['Retry', '', 3] as never });
    expect(outcomeOf('gw', 'v1', 'failed', p, 'hash differs').actions).toEqual(['Retry']);
  });
});

describe('PIN refusals', () => {
  const refusal = (details: Record<string, unknown>): RiggerErrorData => ({
    error: true,
    code: 'OTA_010',
    message: 'Wrong PIN',
    details,
    suggested_actions: [],
  });
  const now = Date.parse('2026-01-01T10:00:00Z');

  it('reads a lockout and the minutes left', () => {
    expect(lockoutOf(refusal({ locked_until: '2026-01-01T10:01:30Z' }), now)).toEqual({
      until: '2026-01-01T10:01:30Z',
      minutesLeft: 2,
    });
  });

  it('a lockout that has ended, or another refusal, is no lockout', () => {
    expect(lockoutOf(refusal({ locked_until: '2026-01-01T09:59:00Z' }), now)).toBeNull();
    expect(lockoutOf(refusal({ attempts_left: 3 }), now)).toBeNull();
    expect(lockoutOf({ ...refusal({ locked_until: 'x' }), code: 'OTA_002' }, now)).toBeNull();
    expect(lockoutOf(null, now)).toBeNull();
  });

  it('reads the tries left before a lockout', () => {
    expect(attemptsLeft(refusal({ attempts_left: 3 }))).toBe(3);
    expect(attemptsLeft(refusal({}))).toBeNull();
    expect(attemptsLeft(null)).toBeNull();
  });

  it('keeps the elapsed time running between the job’s events', () => {
    const p = sampleProgress('installing'); // elapsed 00:01 when read
    expect(elapsedNow(p, 1_000, 1_000)).toBe('00:01');
    expect(elapsedNow(p, 1_000, 66_000)).toBe('01:06');
    expect(elapsedNow(p, 1_000, 3_601_000)).toBe('01:00:01');
    expect(elapsedNow(null, null)).toBe('00:00');
  });
});
