import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { openDatabase } from '../src/main/core/store/database';
import { aggregate } from '../src/main/core/telemetry/query';
import { createTelemetryService } from '../src/main/core/telemetry/service';
import { createTelemetryStore, HOUR } from '../src/main/core/telemetry/store';
import { startMosquitto } from '../test/helpers/mosquitto';
import { benchHttpIngest } from './telemetry-http';

const DEVICES = 50;
const DAYS = 30;
/** mosquitto's `max_queued_messages` in the bench (its default is 1000); BENCH_MQTT_QUEUED sets it. */
const QUEUED = Number(process.env.BENCH_MQTT_QUEUED ?? 100_000);
const RATE = Number(process.env.BENCH_TELEMETRY_RATE ?? 5000);
/** The 60 s; `npm run bench telemetry -- --short` runs 10 s for a quick look. */
const seconds = () =>
  Number(process.env.BENCH_TELEMETRY_SECONDS ?? (process.env.BENCH_SHORT ? 10 : 60));

/** The reference: the same hourly avg + nearest-rank p95, as plain SQL over a plain table. */
const PLAIN_SQL = `
  WITH b AS (
    SELECT ts / 3600000 AS h, value,
      ROW_NUMBER() OVER (PARTITION BY ts / 3600000 ORDER BY value) AS rn,
      COUNT(*) OVER (PARTITION BY ts / 3600000) AS n
    FROM plain WHERE device_id = ? AND metric = 'cpu_usage' AND ts >= ? AND ts < ?)
  SELECT h * 3600000 AS start, AVG(value) AS avg,
    MAX(CASE WHEN rn = (95 * n + 99) / 100 THEN value END) AS p95
  FROM b GROUP BY h ORDER BY h`;

/** Best of 3 of an action, in seconds. */
function best(fn: () => void): number {
  let t = Infinity;
  for (let i = 0; i < 3; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    t = Math.min(t, Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return t;
}

/** Hourly avg + p95 over 30 days of 1-minute samples of 50 devices: Rigger vs plain SQL. */
function benchAggregate(dir: string): string[] {
  const db = openDatabase(join(dir, 'agg'));
  const store = createTelemetryStore(db);
  db.exec('CREATE TABLE plain (device_id TEXT, metric TEXT, ts INTEGER, value REAL)');
  const plainInsert = db.prepare('INSERT INTO plain VALUES (?, ?, ?, ?)');
  const end = Math.floor(Date.now() / HOUR) * HOUR;
  const start = end - DAYS * 24 * HOUR;
  for (let d = 0; d < DEVICES; d++) {
    const id = `crane-${d}`;
    const series = store.seriesId(id, 'cpu_usage');
    const rows: Array<{ series: number; ts: number; value: number }> = [];
    for (let ts = start, i = 0; ts < end; ts += 60_000, i++)
      rows.push({ series, ts, value: 20 + ((i * 7919 + d * 31) % 600) / 10 });
    store.write(rows);
    db.transaction(() => {
      for (const r of rows) plainInsert.run(id, 'cpu_usage', r.ts, r.value);
    })();
  }
  db.exec('CREATE INDEX plain_series ON plain (device_id, metric, ts)');
  store.seal(end);
  const from = new Date(start).toISOString();
  const to = new Date(end).toISOString();
  const rigger = best(() => {
    for (let d = 0; d < DEVICES; d++)
      aggregate(store, {
        device_id: `crane-${d}`,
        metrics: ['cpu_usage'],
        aggregation: ['avg', 'percentile_95'],
        interval: '1h',
        from,
        to,
      });
  });
  const stmt = db.prepare(PLAIN_SQL);
  const reference = best(() => {
    for (let d = 0; d < DEVICES; d++) stmt.all(`crane-${d}`, start, end);
  });
  // Same answers, or the ratio means nothing.
  const a = aggregate(store, {
    device_id: 'crane-7',
    metrics: ['cpu_usage'],
    aggregation: ['avg', 'percentile_95'],
    interval: '1h',
    from,
    to,
  }).aggregations;
  const b = stmt.all('crane-7', start, end) as Array<{ avg: number; p95: number }>;
  const same =
    a.length === b.length &&
    a.every(
      (r, i) =>
        Math.abs((r.cpu_usage_avg as number) - b[i]!.avg) < 1e-9 &&
        r.cpu_usage_percentile_95 === b[i]!.p95,
    );
  db.close();
  return [
    `Telemetry aggregate: hourly avg + p95, ${DAYS} days of 1-minute samples x ${DEVICES} devices (${(DEVICES * DAYS * 1440).toLocaleString('en')} samples), best of 3:`,
    `${'aggregate (vs plain SQL over a plain table)'.padEnd(44)} rigger ${(rigger * 1000).toFixed(1)} ms  reference ${(reference * 1000).toFixed(1)} ms  ratio ${(rigger / reference).toFixed(3)}x  (goal <= 1.0x and < 200 ms)  answers ${same ? 'identical' : 'DIFFER'}`,
  ];
}

/** MQTT ingest at a sustained rate from a separate publisher process, with event-loop delay. */
async function benchIngest(dir: string): Promise<string[]> {
  const SECONDS = seconds();
  // mosquitto drops QoS 1 messages beyond 1,000 queued per client by default; a site broker
  // taking 5,000 samples/s is given room for a few seconds of them (docs/telemetry.md).
  const broker = await startMosquitto({ rigger: 'bench-pw', fleet: 'fleet-pw' }, [
    `max_queued_messages ${QUEUED}`,
  ]);
  const tel = createTelemetryService({ db: openDatabase(join(dir, 'ingest')), emit: () => {} });
  await tel.connectMqtt(broker.url('rigger', 'bench-pw'));
  for (let i = 0; i < 100 && tel.mqttStatus()?.state !== 'connected'; i++)
    await new Promise((r) => setTimeout(r, 50));
  const publisher = join(dir, 'publish.cjs');
  // One message = one sample of one metric; 20 devices; paced in 10 ms ticks.
  writeFileSync(
    publisher,
    `const mqtt = require(${JSON.stringify(require.resolve('mqtt'))});
     const c = mqtt.connect(${JSON.stringify(broker.url('fleet', 'fleet-pw'))});
     c.on('connect', async () => {
       const perTick = ${RATE} / 100, ticks = ${SECONDS} * 100, t0 = Date.now(); let n = 0;
       for (let t = 0; t < ticks; t++) {
         for (let i = 0; i < perTick; i++, n++)
           c.publish('devices/crane-' + (n % 20) + '/telemetry', JSON.stringify({ timestamp: new Date(t0 + Math.floor(n * 1000 / ${RATE})).toISOString(), metrics: { cpu_usage: n % 100 } }), { qos: 1 });
         const wait = t0 + (t + 1) * 10 - Date.now(); if (wait > 0) await new Promise(r => setTimeout(r, wait));
       }
       c.end(false, {}, () => { console.log(n); });
     });`,
  );
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  const t0 = Date.now();
  const sent = await new Promise<number>((resolve, reject) => {
    const p = spawn(process.execPath, [publisher], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (c) => (out += c));
    p.on('exit', (code) =>
      code === 0 ? resolve(Number(out.trim())) : reject(new Error(`publisher exited ${code}`)),
    );
  });
  // QoS 1 messages still in flight arrive after the publisher ends: wait while they still come.
  const arrived = () => tel.mqttStatus()!.received + tel.mqttStatus()!.malformed;
  for (let last = -1, still = 0; arrived() < sent && still < 100;) {
    still = arrived() === last ? still + 1 : 0;
    last = arrived();
    await new Promise((r) => setTimeout(r, 50));
  }
  h.disable();
  const took = (Date.now() - t0) / 1000;
  tel.maintain();
  const stored = tel.store.count();
  const got = tel.mqttStatus()!.received;
  await tel.close();
  await broker.stop();
  const p95 = h.percentile(95) / 1e6;
  return [
    `Telemetry ingest over MQTT (mosquitto, max_queued_messages ${QUEUED}), ${RATE} samples/s for ${SECONDS} s from another process:`,
    `${'ingest'.padEnd(44)} sent ${sent}  received ${got}  lost ${sent - stored}  stored ${stored}  achieved ${(stored / took).toFixed(0)} samples/s  event-loop delay p95 ${p95.toFixed(1)} ms  (goal: ${RATE} samples/s, none lost, p95 < 50 ms)`,
  ];
}

/** The telemetry benches: aggregate against plain SQL, and sustained HTTP and MQTT ingest. */
export async function benchTelemetry(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'rigger-bench-tel-'));
  try {
    return [
      ...benchAggregate(dir),
      '',
      ...(await benchHttpIngest(dir, RATE, seconds())),
      '',
      ...(await benchIngest(dir)),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
