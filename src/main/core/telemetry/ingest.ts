import { RiggerError } from '../../../shared/errors';
import { telemetrySampleSchema, type TelemetrySample } from '../../../shared/telemetry';
import { parseOrThrow } from '../../../shared/validation';
import type { TelemetryStore } from './store';

/** How far ahead of this computer's clock a sample may claim to be (a device's clock drifts). */
export const MAX_FUTURE_MS = 5 * 60_000;
/** How old a sample may be: older ones would fall behind what the store still keeps raw. */
export const MAX_AGE_MS = 24 * 3_600_000;

export interface Accepted {
  device_id: string;
  ts: number;
  metrics: Record<string, number>;
}

/**
 * Check one sample as it arrived (HTTP body or MQTT payload) and give its time: absurd times are
 * refused, not stored at a wrong place. The seed's MQTT example sends bare metrics
 * (`{"cpu_usage": 45.2}`): that shape is taken too.
 */
export function acceptSample(
  deviceId: string,
  body: unknown,
  nowMs: number,
): Accepted & { sample: TelemetrySample } {
  const shaped =
    body && typeof body === 'object' && !Array.isArray(body) && !('metrics' in body)
      ? { metrics: body }
      : body;
  const sample = parseOrThrow(telemetrySampleSchema, shaped, 'Telemetry sample');
  const ts = sample.timestamp ? Date.parse(sample.timestamp) : nowMs;
  if (ts > nowMs + MAX_FUTURE_MS || ts < nowMs - MAX_AGE_MS)
    throw new RiggerError(
      'VALIDATION_ERROR',
      `The sample's time ${sample.timestamp} is too far from now (${new Date(nowMs).toISOString()})`,
      { timestamp: sample.timestamp },
      ["Set the device's clock (NTP)", 'Send samples within a day of when they were taken'],
    );
  return { device_id: deviceId, ts, metrics: sample.metrics, sample };
}

/**
 * Samples queued and written in batches: one transaction per batch keeps thousands of samples a
 * second cheap for the event loop. `flush` writes what is queued now.
 */
export function createIngestQueue(
  store: TelemetryStore,
  opts: { maxBatch?: number; intervalMs?: number; onWritten?: (rows: Accepted[]) => void } = {},
) {
  const maxBatch = opts.maxBatch ?? 5000;
  let queue: Accepted[] = [];
  let written = 0;
  const flush = () => {
    while (queue.length) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      const rows: Array<{ series: number; ts: number; value: number }> = [];
      for (const s of batch)
        for (const [m, v] of Object.entries(s.metrics))
          rows.push({ series: store.seriesId(s.device_id, m), ts: s.ts, value: v });
      store.write(rows);
      written += rows.length;
      opts.onWritten?.(batch);
    }
  };
  const timer = setInterval(flush, opts.intervalMs ?? 100);
  timer.unref();
  return {
    push(s: Accepted) {
      queue.push(s);
      if (queue.length >= maxBatch) flush();
    },
    flush,
    /** Metric values written since the start. */
    get written() {
      return written;
    },
    close() {
      clearInterval(timer);
      flush();
    },
  };
}
