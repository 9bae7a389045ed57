import type { AggregateResult } from '../../../../shared/telemetry';

/** One line per metric over the buckets, for the chart and the table beside it. */
export interface MetricSeries {
  labels: string[];
  lines: Array<{ metric: string; values: Array<number | null> }>;
}

/** The aggregate answer as chart series: `<metric>_<aggregation>` per bucket, null where empty. */
export function seriesOf(r: AggregateResult, metrics: string[], aggregation: string): MetricSeries {
  const rows = r.aggregations;
  return {
    labels: rows.map((row) => String(row.timestamp ?? '')),
    lines: metrics.map((metric) => ({
      metric,
      values: rows.map((row) => {
        const v = row[`${metric}_${aggregation}`];
        return typeof v === 'number' ? v : null;
      }),
    })),
  };
}

/** A number for reading: at most two decimals, a dash when there is none. */
export const figure = (v: number | null | undefined): string =>
  v === null || v === undefined ? '–' : String(Math.round(v * 100) / 100);

/** "3 of 5 devices done" for a rollout's wave. */
export function waveSummary(targets: Array<{ status: string }>): string {
  const done = targets.filter((t) => t.status === 'success').length;
  const failed = targets.filter((t) => t.status === 'failed').length;
  return `${done} of ${targets.length} updated${failed ? `, ${failed} failed` : ''}`;
}
