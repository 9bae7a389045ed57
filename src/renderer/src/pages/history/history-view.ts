import type { HistoryEntry } from '../../../../shared/history';

/** Updates per day by outcome, oldest day first: the chart's series. */
export interface PerDay {
  labels: string[];
  success: number[];
  rolledBack: number[];
  failed: number[];
  cancelled: number[];
}

/** Count the history by day (its `date`) and outcome; a rollback is not counted as a plain failure. */
export function perDay(history: HistoryEntry[]): PerDay {
  const days = [...new Set(history.map((h) => h.date))].sort();
  const count = (pred: (h: HistoryEntry) => boolean) =>
    days.map((d) => history.filter((h) => h.date === d && pred(h)).length);
  return {
    labels: days,
    success: count((h) => h.status === 'success'),
    rolledBack: count((h) => h.status === 'failed' && h.rollback),
    failed: count((h) => h.status === 'failed' && !h.rollback),
    cancelled: count((h) => h.status === 'cancelled'),
  };
}
