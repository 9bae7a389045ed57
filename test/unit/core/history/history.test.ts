import { describe, expect, it } from 'vitest';
import {
  formatDuration,
  statistics,
  toHistoryEntry,
} from '../../../../src/main/core/history/service';
import type { JobRow } from '../../../../src/main/core/jobs/store';

const row = (over: Partial<JobRow>): JobRow => ({
  id: 'OTA-JOB-1',
  gateway: 'gw',
  type: 'update',
  subtype: 'install',
  status: 'success',
  operation: 'completed',
  progress: 100,
  bytes_done: 4 << 20,
  bytes_total: 4 << 20,
  speed: 0,
  errors: 0,
  retries: 0,
  started_by: 'me',
  owner_pid: null,
  started_at: '2026-01-02T02:00:00.000Z',
  updated_at: '2026-01-02T02:15:00.000Z',
  finished_at: '2026-01-02T02:15:00.000Z',
  params: { version: 'v5.0.5', type: 'security' },
  state: { target: 'B', verified: true },
  result: { committed: true },
  error: null,
  ...over,
});

describe('history', () => {
  it('formats durations as the seed does', () => {
    expect(formatDuration(40)).toBe('40s');
    expect(formatDuration(900)).toBe('15m');
    expect(formatDuration(3900)).toBe('1h 5m');
  });
  it('a success entry in the seed shape', () => {
    expect(toHistoryEntry(row({}))).toMatchObject({
      version: 'v5.0.5',
      status: 'success',
      date: '2026-01-02',
      time: '02:00:00',
      duration: '15m',
      partition: 'B',
      size: '4.19MB',
      rollback: false,
    });
  });
  it('a checksum failure keeps expected and actual; a rollback is flagged', () => {
    const e = toHistoryEntry(
      row({
        status: 'failed',
        error: {
          error: true,
          code: 'OTA_007',
          message: 'Checksum mismatch',
          details: { expected: 'sha256:aa', actual: 'sha256:bb', resolution: 'Rewrite required' },
          suggested_actions: [],
        },
      }),
    )!;
    expect(e.error_details).toMatchObject({ expected: 'sha256:aa', actual: 'sha256:bb' });
    const r = toHistoryEntry(row({ status: 'failed', state: { target: 'B', rollback: true } }))!;
    expect(r.rollback).toBe(true);
  });
  it("a checksum failure always carries the seed's expected, actual and resolution", () => {
    const mismatch = (details: Record<string, unknown>) =>
      toHistoryEntry(
        row({
          status: 'failed',
          error: {
            error: true,
            code: 'OTA_007',
            message: 'Slot B changed since it was verified',
            details,
            suggested_actions: [],
          },
        }),
      )!.error_details;
    expect(mismatch({ expected: 'sha256:aa', actual: 'sha256:bb' })).toMatchObject({
      expected: 'sha256:aa',
      actual: 'sha256:bb',
      resolution: 'Rewrite required',
    });
    expect(
      mismatch({ expected: 'sha256:aa', actual: 'sha256:cc', where: 'library' }),
    ).toMatchObject({
      resolution: 'Re-import required',
    });
    expect(Object.keys(mismatch({})!)).toEqual(
      expect.arrayContaining(['expected', 'actual', 'resolution']),
    );
  });
  it('statistics: total, success rate, last success and failure', () => {
    const rows = [
      row({
        status: 'failed',
        started_at: '2026-01-03T00:00:00.000Z',
        finished_at: '2026-01-03T00:10:00.000Z',
      }),
      row({}),
    ];
    const entries = rows.map((r) => toHistoryEntry(r)!);
    expect(statistics(entries, rows)).toEqual({
      total_updates: 2,
      success_rate: '50%',
      average_duration: '13m',
      last_success: '2026-01-02',
      last_failure: '2026-01-03',
    });
  });
  it('unfinished jobs are not history', () => {
    expect(toHistoryEntry(row({ status: 'downloading' }))).toBeNull();
  });
});
