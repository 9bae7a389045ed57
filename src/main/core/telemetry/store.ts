import type { Database } from '../store/database';
import { summariseOrdered, type Summary } from './summary';

export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** How long each resolution is kept. Raw samples must outlive a day, so days seal from them. */
export interface Retention {
  rawMs: number;
  hourlyMs: number;
  dailyMs: number;
}
export const DEFAULT_RETENTION: Retention = {
  rawMs: 2 * DAY,
  hourlyMs: 90 * DAY,
  dailyMs: 5 * 365 * DAY,
};

/**
 * Samples in SQLite at three resolutions: raw for the last days; hourly and daily summaries
 * (count, sum, min, max, exact 95th percentile) made from the raw samples once a bucket is
 * complete ("sealed"). Queries over weeks read summaries, not millions of samples.
 */
export interface TelemetryStore {
  /** The series id of a device's metric, made on first use. */
  seriesId(deviceId: string, metric: string): number;
  /** Write samples in one transaction. A sample older than a sealed bucket unseals it. */
  write(samples: ReadonlyArray<{ series: number; ts: number; value: number }>): void;
  /** Summarise every complete hour and day not yet summarised, up to `nowMs`. */
  seal(nowMs: number): number;
  /** Drop what each resolution no longer keeps (raw only once its day is sealed). */
  prune(nowMs: number, retention?: Retention): { raw: number; hourly: number; daily: number };
  /** Summaries of `bucket` (HOUR or DAY) in [from, to), sealed ones read, the rest computed. */
  summaries(series: number, bucket: number, from: number, to: number): Map<number, Summary>;
  /** Summaries of raw samples in buckets of `bucketMs` in [from, to). */
  rawSummaries(series: number, bucketMs: number, from: number, to: number): Map<number, Summary>;
  /** Raw samples of some series in [from, to), oldest first, at most `limit`. */
  raw(
    series: number[],
    from: number,
    to: number,
    limit: number,
  ): Array<{ series: number; ts: number; value: number }>;
  /** How many raw samples are kept. */
  count(): number;
  /** The metrics a device has reported. */
  metricsOf(deviceId: string): string[];
  /** Has any device reported this metric? */
  knownMetric(metric: string): boolean;
  /** The series ids of a device's metrics (those that exist). */
  seriesOf(deviceId: string, metrics: readonly string[]): Map<string, number>;
}

/** The telemetry store over Rigger's database. */
export function createTelemetryStore(db: Database): TelemetryStore {
  const ids = new Map<string, number>();
  const findSeries = db.prepare(
    'SELECT id FROM telemetry_series WHERE device_id = ? AND metric = ?',
  );
  const addSeries = db.prepare('INSERT INTO telemetry_series (device_id, metric) VALUES (?, ?)');
  const insert = db.prepare(
    'INSERT OR REPLACE INTO telemetry_raw (series, ts, value) VALUES (?, ?, ?)',
  );
  const unseal = db.prepare(
    `UPDATE telemetry_series SET sealed_hours_until = MIN(sealed_hours_until, ?),
       sealed_days_until = MIN(sealed_days_until, ?), last_ts = MAX(last_ts, ?) WHERE id = ?`,
  );
  const ordered = (bucketMs: number) =>
    db.prepare(
      `SELECT (ts / ${bucketMs}) * ${bucketMs} AS start, value FROM telemetry_raw
       WHERE series = ? AND ts >= ? AND ts < ? ORDER BY start, value`,
    );
  const orderedHour = ordered(HOUR);
  const orderedDay = ordered(DAY);
  const putRollup = db.prepare(
    `INSERT OR REPLACE INTO telemetry_rollup (series, bucket, start, count, sum, min, max, p95)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const readRollups = db.prepare(
    `SELECT start, count, sum, min, max, p95 FROM telemetry_rollup
     WHERE series = ? AND bucket = ? AND start >= ? AND start < ?`,
  );

  const rawSummaries = (series: number, bucketMs: number, from: number, to: number) => {
    const stmt =
      bucketMs === HOUR ? orderedHour : bucketMs === DAY ? orderedDay : ordered(bucketMs);
    return summariseOrdered(
      stmt.iterate(series, from, to) as Iterable<{ start: number; value: number }>,
    );
  };

  const sealSeries = (
    s: { id: number; h: number; d: number; first: number | null },
    now: number,
  ) => {
    let n = 0;
    const hourEnd = Math.floor(now / HOUR) * HOUR;
    const dayEnd = Math.floor(now / DAY) * DAY;
    const hFrom = Math.max(s.h, s.first === null ? hourEnd : Math.floor(s.first / HOUR) * HOUR);
    const dFrom = Math.max(s.d, s.first === null ? dayEnd : Math.floor(s.first / DAY) * DAY);
    for (const [start, sum] of rawSummaries(s.id, HOUR, hFrom, hourEnd)) {
      putRollup.run(s.id, HOUR, start, sum.count, sum.sum, sum.min, sum.max, sum.p95);
      n++;
    }
    for (const [start, sum] of rawSummaries(s.id, DAY, dFrom, dayEnd)) {
      putRollup.run(s.id, DAY, start, sum.count, sum.sum, sum.min, sum.max, sum.p95);
      n++;
    }
    db.prepare(
      'UPDATE telemetry_series SET sealed_hours_until = ?, sealed_days_until = ? WHERE id = ?',
    ).run(Math.max(hFrom, hourEnd), Math.max(dFrom, dayEnd), s.id);
    return n;
  };

  return {
    seriesId(deviceId, metric) {
      const key = `${deviceId}\0${metric}`;
      let id = ids.get(key);
      if (id !== undefined) return id;
      const row = findSeries.get(deviceId, metric) as { id: number } | undefined;
      id = row ? row.id : Number(addSeries.run(deviceId, metric).lastInsertRowid);
      ids.set(key, id);
      return id;
    },
    write: db.transaction(
      (samples: ReadonlyArray<{ series: number; ts: number; value: number }>) => {
        const lowest = new Map<number, { min: number; max: number }>();
        for (const s of samples) {
          insert.run(s.series, s.ts, s.value);
          const l = lowest.get(s.series);
          if (!l) lowest.set(s.series, { min: s.ts, max: s.ts });
          else {
            l.min = Math.min(l.min, s.ts);
            l.max = Math.max(l.max, s.ts);
          }
        }
        for (const [series, { min, max }] of lowest)
          unseal.run(Math.floor(min / HOUR) * HOUR, Math.floor(min / DAY) * DAY, max, series);
      },
    ),
    seal(nowMs) {
      const due = db
        .prepare(
          `SELECT s.id, s.sealed_hours_until AS h, s.sealed_days_until AS d,
             (SELECT MIN(ts) FROM telemetry_raw r WHERE r.series = s.id AND r.ts >= s.sealed_days_until) AS first
           FROM telemetry_series s
           WHERE s.last_ts >= s.sealed_hours_until AND s.sealed_hours_until < ?`,
        )
        .all(Math.floor(nowMs / HOUR) * HOUR) as Array<{
        id: number;
        h: number;
        d: number;
        first: number | null;
      }>;
      let n = 0;
      db.transaction(() => {
        for (const s of due) n += sealSeries(s, nowMs);
      })();
      return n;
    },
    prune(nowMs, retention = DEFAULT_RETENTION) {
      const raw = db
        .prepare(
          `DELETE FROM telemetry_raw WHERE ts < ? AND ts < (SELECT sealed_days_until FROM telemetry_series s WHERE s.id = series)`,
        )
        .run(nowMs - retention.rawMs).changes;
      const hourly = db
        .prepare('DELETE FROM telemetry_rollup WHERE bucket = ? AND start < ?')
        .run(HOUR, nowMs - retention.hourlyMs).changes;
      const daily = db
        .prepare('DELETE FROM telemetry_rollup WHERE bucket = ? AND start < ?')
        .run(DAY, nowMs - retention.dailyMs).changes;
      return { raw, hourly, daily };
    },
    summaries(series, bucket, from, to) {
      const out = new Map<number, Summary>();
      const sealed = db
        .prepare(
          'SELECT sealed_hours_until AS h, sealed_days_until AS d FROM telemetry_series WHERE id = ?',
        )
        .get(series) as { h: number; d: number } | undefined;
      const until = Math.min(to, bucket === HOUR ? (sealed?.h ?? 0) : (sealed?.d ?? 0));
      for (const r of readRollups.iterate(series, bucket, from, until) as Iterable<
        Summary & { start: number }
      >)
        out.set(r.start, { count: r.count, sum: r.sum, min: r.min, max: r.max, p95: r.p95 });
      // The buckets not sealed yet (the current hour or day) come from the raw samples.
      for (const [start, s] of rawSummaries(series, bucket, Math.max(from, until), to))
        out.set(start, s);
      return out;
    },
    rawSummaries,
    raw(series, from, to, limit) {
      if (!series.length) return [];
      const marks = series.map(() => '?').join(',');
      return db
        .prepare(
          `SELECT series, ts, value FROM telemetry_raw WHERE series IN (${marks}) AND ts >= ? AND ts < ? ORDER BY ts LIMIT ?`,
        )
        .all(...series, from, to, limit) as Array<{ series: number; ts: number; value: number }>;
    },
    count() {
      return (db.prepare('SELECT COUNT(*) AS n FROM telemetry_raw').get() as { n: number }).n;
    },
    metricsOf(deviceId) {
      return (
        db
          .prepare('SELECT metric FROM telemetry_series WHERE device_id = ? ORDER BY metric')
          .all(deviceId) as Array<{
          metric: string;
        }>
      ).map((r) => r.metric);
    },
    knownMetric(metric) {
      return !!db.prepare('SELECT 1 FROM telemetry_series WHERE metric = ? LIMIT 1').get(metric);
    },
    seriesOf(deviceId, metrics) {
      const out = new Map<string, number>();
      for (const m of metrics) {
        const row = findSeries.get(deviceId, m) as { id: number } | undefined;
        if (row) out.set(m, row.id);
      }
      return out;
    },
  };
}
