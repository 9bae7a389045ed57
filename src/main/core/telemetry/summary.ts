import type { Aggregation } from '../../../shared/telemetry';

/** What a bucket of samples comes down to: enough to answer every aggregation. */
export interface Summary {
  count: number;
  sum: number;
  min: number;
  max: number;
  /** Nearest-rank 95th percentile of the bucket's values. */
  p95: number;
}

/** Nearest-rank percentile of values sorted ascending (the definition the plain SQL uses). */
export function nearestRank(sorted: readonly number[], p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/** Summarise values already sorted ascending. */
export function summarise(sorted: readonly number[]): Summary {
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    count: sorted.length,
    sum,
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
    p95: nearestRank(sorted, 95),
  };
}

/** One aggregation of a summary; null for an empty bucket. */
export function pick(s: Summary | undefined, a: Aggregation): number | null {
  if (!s || s.count === 0) return null;
  switch (a) {
    default:
      return null;
    case 'avg':
      return s.sum / s.count;
    case 'min':
      return s.min;
    case 'max':
      return s.max;
    case 'sum':
      return s.sum;
    case 'count':
      return s.count;
    case 'percentile_95':
      return s.p95;
  }
}

/**
 * Group rows (bucket start, value) ordered by bucket then value into summaries: one pass, so a
 * percentile needs no second query.
 */
export function summariseOrdered(
  rows: Iterable<{ start: number; value: number }>,
): Map<number, Summary> {
  const out = new Map<number, Summary>();
  let start: number | null = null;
  let values: number[] = [];
  const close = () => {
    if (start !== null && values.length) out.set(start, summarise(values));
  };
  for (const r of rows) {
    if (r.start !== start) {
      close();
      start = r.start;
      values = [];
    }
    values.push(r.value);
  }
  close();
  return out;
}
