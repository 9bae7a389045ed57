import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../src/main/core/store/database';
import { aggregate } from '../../../../src/main/core/telemetry/query';
import { createTelemetryStore, DAY, HOUR } from '../../../../src/main/core/telemetry/store';
import { nearestRank } from '../../../../src/main/core/telemetry/summary';

const T0 = Date.parse('2026-11-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

/** A store with `hours` hours of one-minute samples of one metric, values from `f(minute)`. */
function filled(hours: number, f: (i: number) => number) {
  const db = openDatabase(mkdtempSync(join(tmpdir(), 'rigger-tel-')));
  const store = createTelemetryStore(db);
  const series = store.seriesId('crane-7', 'cpu_usage');
  const rows = Array.from({ length: hours * 60 }, (_, i) => ({
    series,
    ts: T0 + i * 60_000,
    value: f(i),
  }));
  store.write(rows);
  return { db, store, series, rows };
}

/** The answer computed the plain way, straight from the samples. */
function expected(rows: Array<{ ts: number; value: number }>, bucket: number) {
  const by = new Map<number, number[]>();
  for (const r of rows) {
    const b = Math.floor(r.ts / bucket) * bucket;
    by.set(b, [...(by.get(b) ?? []), r.value]);
  }
  return [...by].map(([b, v]) => {
    const sorted = [...v].sort((x, y) => x - y);
    return {
      timestamp: iso(b).replace('.000Z', 'Z'),
      cpu_usage_avg: v.reduce((s, x) => s + x, 0) / v.length,
      cpu_usage_percentile_95: nearestRank(sorted, 95),
      cpu_usage_max: sorted[sorted.length - 1],
    };
  });
}

describe('telemetry store: raw samples, sealed hourly and daily summaries', () => {
  it('nearest-rank percentile', () => {
    expect(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10);
    expect(nearestRank([5], 95)).toBe(5);
    expect(
      nearestRank(
        Array.from({ length: 100 }, (_, i) => i + 1),
        95,
      ),
    ).toBe(95);
  });

  it('hourly and daily aggregates from sealed summaries equal the plain computation', () => {
    const { store, rows } = filled(50, (i) => (i * 7919) % 101);
    expect(store.seal(T0 + 50 * HOUR)).toBeGreaterThan(0);
    for (const [interval, bucket] of [
      ['1h', HOUR],
      ['1d', DAY],
    ] as const) {
      const got = aggregate(store, {
        device_id: 'crane-7',
        metrics: ['cpu_usage'],
        aggregation: ['avg', 'percentile_95', 'max'],
        interval,
        from: iso(T0),
        to: iso(T0 + 50 * HOUR),
      });
      const want = expected(rows, bucket);
      expect(got.aggregations).toHaveLength(want.length);
      got.aggregations.forEach((row, i) => {
        expect(row.timestamp).toBe(want[i]!.timestamp);
        expect(row.cpu_usage_avg).toBeCloseTo(want[i]!.cpu_usage_avg, 9);
        expect(row.cpu_usage_percentile_95).toBe(want[i]!.cpu_usage_percentile_95);
        expect(row.cpu_usage_max).toBe(want[i]!.cpu_usage_max);
      });
    }
  });

  it('the hour not yet sealed is computed from raw samples, and a late sample reseals its hour', () => {
    const { store, series, rows } = filled(3, (i) => i);
    store.seal(T0 + 2 * HOUR + 30 * 60_000);
    const ask = () =>
      aggregate(store, {
        device_id: 'crane-7',
        metrics: ['cpu_usage'],
        aggregation: 'max',
        interval: '1h',
        from: iso(T0),
        to: iso(T0 + 3 * HOUR),
      }).aggregations.map((r) => r.cpu_usage_max);
    expect(ask()).toEqual([59, 119, 179]);
    store.write([{ series, ts: T0 + 30 * 60_000 + 1, value: 1000 }]);
    store.seal(T0 + 3 * HOUR);
    expect(ask()).toEqual([1000, 119, 179]);
    expect(rows).toHaveLength(180);
  });

  it('prunes raw samples only once their day is sealed; summaries stay', () => {
    const { store } = filled(30, () => 1);
    const later = T0 + 5 * DAY;
    expect(store.prune(later).raw).toBe(0);
    store.seal(later);
    expect(store.prune(later).raw).toBe(30 * 60);
    const got = aggregate(store, {
      device_id: 'crane-7',
      metrics: ['cpu_usage'],
      aggregation: 'count',
      interval: '1d',
      from: iso(T0),
      to: iso(later),
    });
    expect(got.aggregations.map((r) => r.cpu_usage_count)).toEqual([24 * 60, 6 * 60]);
  });
});
