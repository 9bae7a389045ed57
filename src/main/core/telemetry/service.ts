import { RiggerError } from '../../../shared/errors';
import type {
  AggregateInput,
  AggregateResult,
  AlertEvent,
  FleetAnalytics,
  FleetAnalyticsInput,
  TelemetryPoints,
} from '../../../shared/telemetry';
import type { Database } from '../store/database';
import { createAlerts, type Alerts } from './alerts';
import { acceptSample, createIngestQueue } from './ingest';
import { startMqttIngest, type MqttStatus } from './mqtt';
import { aggregate, fleetAnalytics, rawPoints } from './query';
import {
  createTelemetryStore,
  DEFAULT_RETENTION,
  type Retention,
  type TelemetryStore,
} from './store';

/** Samples in, queries and alerts out: the telemetry area of the core. */
export interface TelemetryService {
  /** Check a sample a device sent (HTTP or MQTT) and queue it; throws on a bad one. */
  ingest(deviceId: string, body: unknown): { accepted: number };
  /** Rigger's own reading of a gateway (status reads while connected). */
  record(deviceId: string, metrics: Record<string, number>, atMs?: number): void;
  raw(q: {
    device_id: string;
    from?: string;
    to?: string;
    metrics?: string[];
    limit: number;
  }): TelemetryPoints;
  aggregate(input: AggregateInput): AggregateResult;
  fleet(input: FleetAnalyticsInput, deviceIds: readonly string[]): FleetAnalytics;
  readonly alerts: Alerts;
  /** Subscribe to a site broker (`mqtt://USER:PASS@HOST:PORT`); replaces a running one. */
  connectMqtt(url: string): Promise<void>;
  mqttStatus(): MqttStatus | null;
  /** End the subscription (no broker configured any more). */
  disconnectMqtt(): Promise<void>;
  publishCommand(deviceId: string, command: unknown): Promise<void>;
  /** Write what is queued, summarise complete hours and days, drop what is past keeping. */
  maintain(nowMs?: number): void;
  readonly store: TelemetryStore;
  close(): Promise<void>;
}

/** Build the telemetry service over the database; `emit` carries alert events out. */
export function createTelemetryService(d: {
  db: Database;
  emit: (e: AlertEvent) => void;
  typeOf?: (deviceId: string) => string | null;
  retention?: Retention;
  maintainEveryMs?: number;
  webhookRetries?: number;
}): TelemetryService {
  const store = createTelemetryStore(d.db);
  const alerts = createAlerts({
    db: d.db,
    metricExists: (m) => store.knownMetric(m),
    typeOf: d.typeOf,
    emit: d.emit,
    retries: d.webhookRetries,
  });
  const queue = createIngestQueue(store, { onWritten: (batch) => alerts.evaluate(batch) });
  let mqttClient: ReturnType<typeof startMqttIngest> | null = null;
  const maintain = (nowMs = Date.now()) => {
    queue.flush();
    store.seal(nowMs);
    store.prune(nowMs, d.retention ?? DEFAULT_RETENTION);
  };
  const timer = setInterval(() => maintain(), d.maintainEveryMs ?? 60_000);
  timer.unref();
  const service: TelemetryService = {
    ingest(deviceId, body) {
      const s = acceptSample(deviceId, body, Date.now());
      queue.push(s);
      if (s.sample.events?.length)
        for (const e of s.sample.events)
          d.db
            .prepare('INSERT INTO telemetry_events (device_id, ts, type, data) VALUES (?, ?, ?, ?)')
            .run(deviceId, s.ts, e.type, JSON.stringify(e.data ?? null).slice(0, 4096));
      return { accepted: Object.keys(s.metrics).length };
    },
    record(deviceId, metrics, atMs = Date.now()) {
      queue.push({ device_id: deviceId, ts: atMs, metrics });
    },
    raw: (q) => {
      queue.flush();
      return rawPoints(store, q);
    },
    aggregate: (input) => {
      queue.flush();
      return aggregate(store, input);
    },
    fleet: (input, ids) => {
      queue.flush();
      return fleetAnalytics(store, ids, input, Date.now());
    },
    alerts,
    async connectMqtt(url) {
      await mqttClient?.stop();
      mqttClient = startMqttIngest({ url, onSample: (id, body) => service.ingest(id, body) });
    },
    mqttStatus: () => mqttClient?.status() ?? null,
    async disconnectMqtt() {
      await mqttClient?.stop();
      mqttClient = null;
    },
    publishCommand: async (deviceId, command) => {
      if (!mqttClient)
        throw new RiggerError('VALIDATION_ERROR', 'No MQTT broker is configured', {}, [
          'Connect this Rigger to the site MQTT broker first',
        ]);
      await mqttClient.publishCommand(deviceId, command);
    },
    maintain,
    store,
    async close() {
      clearInterval(timer);
      queue.close();
      await mqttClient?.stop();
    },
  };
  return service;
}
