import { RiggerError } from '../../../shared/errors';
import {
  INTERVAL_MS,
  PERIOD_MS,
  type AggregateInput,
  type AggregateResult,
  type Aggregation,
  type FleetAnalytics,
  type FleetAnalyticsInput,
  type TelemetryPoints,
} from '../../../shared/telemetry';
import { DAY, HOUR, type TelemetryStore } from './store';
import { pick, summarise, type Summary } from './summary';

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A time range from ISO strings, checked: `from` before `to`. */
export function range(
  from: string | undefined,
  to: string | undefined,
  nowMs: number,
  defMs = DAY,
) {
  // Without `to`, "until now" includes a sample taken this very millisecond.
  const t = to ? Date.parse(to) : nowMs + 1;
  const f = from ? Date.parse(from) : t - defMs;
  if (!(f < t))
    throw new RiggerError('VALIDATION_ERROR', '"from" must be before "to"', { from, to });
  return { from: f, to: t };
}

/** Summaries of one series per bucket of `interval`, from the cheapest resolution that has it. */
function bucketsOf(
  store: TelemetryStore,
  series: number,
  bucketMs: number,
  from: number,
  to: number,
) {
  if (bucketMs === HOUR || bucketMs === DAY) return store.summaries(series, bucketMs, from, to);
  return store.rawSummaries(series, bucketMs, from, to);
}

/** Seed "Aggregated Metrics": a row per bucket with `<metric>_<aggregation>` for each asked. */
export function aggregate(store: TelemetryStore, input: AggregateInput): AggregateResult {
  const bucketMs = INTERVAL_MS[input.interval];
  const r = range(input.from, input.to, Date.now());
  const from = Math.floor(r.from / bucketMs) * bucketMs;
  const aggs: Aggregation[] = Array.isArray(input.aggregation)
    ? input.aggregation
    : [input.aggregation];
  const series = store.seriesOf(input.device_id, input.metrics);
  const perMetric = new Map<string, Map<number, Summary>>();
  const starts = new Set<number>();
  for (const [metric, id] of series) {
    const b = bucketsOf(store, id, bucketMs, from, r.to);
    perMetric.set(metric, b);
    for (const s of b.keys()) starts.add(s);
  }
  const aggregations = [...starts]
    .sort((a, b) => a - b)
    .map((start) => {
      const row: Record<string, string | number | null> = { timestamp: iso(start) };
      for (const metric of input.metrics)
        for (const a of aggs) row[`${metric}_${a}`] = pick(perMetric.get(metric)?.get(start), a);
      return row;
    });
  return { device_id: input.device_id, aggregations };
}

/** Seed "Get Device Telemetry": samples of a device between from and to, grouped by time. */
export function rawPoints(
  store: TelemetryStore,
  q: { device_id: string; from?: string; to?: string; metrics?: string[]; limit: number },
): TelemetryPoints {
  const r = range(q.from, q.to, Date.now());
  const series = store.seriesOf(q.device_id, q.metrics ?? store.metricsOf(q.device_id));
  const names = new Map([...series].map(([m, id]) => [id, m]));
  const rows = store.raw([...series.values()], r.from, r.to, q.limit + 1);
  const truncated = rows.length > q.limit;
  const byTs = new Map<number, Record<string, number>>();
  for (const row of rows.slice(0, q.limit)) {
    const m = byTs.get(row.ts) ?? {};
    m[names.get(row.series)!] = row.value;
    byTs.set(row.ts, m);
  }
  return {
    device_id: q.device_id,
    from: iso(r.from),
    to: iso(r.to),
    data: [...byTs].map(([ts, metrics]) => ({ timestamp: iso(ts), metrics })),
    truncated,
  };
}

/**
 * Seed "Fleet Analytics": one aggregation of each metric over the period, for each device of the
 * type and for the fleet as a whole (the fleet's percentile from every device's daily and hourly
 * summaries is the percentile of their percentiles: said in `docs/`).
 */
export function fleetAnalytics(
  store: TelemetryStore,
  deviceIds: readonly string[],
  input: FleetAnalyticsInput,
  nowMs: number,
): FleetAnalytics {
  const from = nowMs - PERIOD_MS[input.period];
  const bucket = PERIOD_MS[input.period] > 2 * DAY ? DAY : HOUR;
  const fleet = new Map<string, Summary[]>();
  const devices = deviceIds.map((device_id) => {
    const metrics: Record<string, number | null> = {};
    for (const [metric, id] of store.seriesOf(device_id, input.metrics)) {
      const parts = [
        ...store.summaries(id, bucket, Math.floor(from / bucket) * bucket, nowMs).values(),
      ];
      const whole = combine(parts);
      metrics[metric] = pick(whole ?? undefined, input.aggregation);
      if (whole) fleet.set(metric, [...(fleet.get(metric) ?? []), whole]);
    }
    for (const m of input.metrics) metrics[m] ??= null;
    return { device_id, metrics };
  });
  const metrics: Record<string, number | null> = {};
  for (const m of input.metrics)
    metrics[m] = pick(combine(fleet.get(m) ?? []) ?? undefined, input.aggregation);
  return {
    device_type: input.device_type,
    period: input.period,
    aggregation: input.aggregation,
    device_count: deviceIds.length,
    metrics,
    devices,
  };
}

/** Several summaries as one: exact for count, sum, min, max; p95 as the p95 of the parts'. */
function combine(parts: readonly Summary[]): Summary | null {
  if (!parts.length) return null;
  const p95s = summarise(parts.map((p) => p.p95).sort((a, b) => a - b));
  return {
    count: parts.reduce((n, p) => n + p.count, 0),
    sum: parts.reduce((n, p) => n + p.sum, 0),
    min: Math.min(...parts.map((p) => p.min)),
    max: Math.max(...parts.map((p) => p.max)),
    p95: p95s.p95,
  };
}
