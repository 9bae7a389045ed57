import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../../../src/shared/history';
import { perDay } from '../../../src/renderer/src/pages/history/history-view';

const entry = (date: string, status: HistoryEntry['status'], rollback = false): HistoryEntry => ({
  id: `${date}-${status}`,
  version: 'v1',
  type: null,
  status,
  date,
  time: '10:00',
  duration: '1m',
  partition: 'B',
  size: null,
  initiated_by: 'local',
  rollback,
  gateway: 'gw',
});

describe('history per day', () => {
  it('counts each day by outcome, oldest first, a rollback apart from a plain failure', () => {
    const d = perDay([
      entry('2025-03-15', 'success'),
      entry('2025-03-14', 'failed', true),
      entry('2025-03-15', 'failed'),
      entry('2025-03-15', 'success'),
      entry('2025-03-14', 'cancelled'),
    ]);
    expect(d).toEqual({
      labels: ['2025-03-14', '2025-03-15'],
      success: [0, 2],
      rolledBack: [1, 0],
      failed: [0, 1],
      cancelled: [1, 0],
    });
  });
});
