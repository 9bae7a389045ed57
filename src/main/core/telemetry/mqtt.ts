import { randomBytes } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';

/** Payloads larger than this are dropped unread: a sample is a few hundred bytes. */
export const MAX_PAYLOAD = 64 * 1024;
const TOPIC = /^devices\/([A-Za-z0-9_.:-]{1,128})\/telemetry$/;

export interface MqttStatus {
  state: 'connecting' | 'connected' | 'reconnecting' | 'stopped';
  /** The broker, without its password. */
  broker: string;
  received: number;
  malformed: number;
  reconnects: number;
  /** Milliseconds until the next attempt while reconnecting (it grows, up to 30 s). */
  retry_in_ms: number | null;
  last_error: string | null;
  connected_since: string | null;
}

/** The broker's address as it may be shown: no credentials. */
export function redactBroker(url: string): string {
  const u = new URL(url);
  u.username = '';
  u.password = '';
  return u.toString().replace(/\/$/, '');
}

/**
 * Rigger as a subscriber of a site's MQTT broker: every `devices/<id>/telemetry` message is
 * handed to `onSample`; one that is not JSON, too large or refused by `onSample` is counted and
 * dropped, and the subscription goes on. A lost broker is reconnected with growing waits.
 */
export function startMqttIngest(opts: {
  url: string;
  onSample: (deviceId: string, body: unknown) => void;
  onStatus?: (s: MqttStatus) => void;
}): {
  status(): MqttStatus;
  publishCommand(deviceId: string, command: unknown): Promise<void>;
  stop(): Promise<void>;
} {
  const u = new URL(opts.url);
  const status: MqttStatus = {
    state: 'connecting',
    broker: redactBroker(opts.url),
    received: 0,
    malformed: 0,
    reconnects: 0,
    retry_in_ms: null,
    last_error: null,
    connected_since: null,
  };
  let backoff = 1000;
  const client: MqttClient = mqtt.connect(`${u.protocol}//${u.host}`, {
    username: decodeURIComponent(u.username) || undefined,
    password: decodeURIComponent(u.password) || undefined,
    clientId: `rigger-${randomBytes(4).toString('hex')}`,
    reconnectPeriod: backoff,
    connectTimeout: 5000,
  });
  const changed = () => opts.onStatus?.({ ...status });
  client.on('connect', () => {
    backoff = 1000;
    client.options.reconnectPeriod = backoff;
    Object.assign(status, {
      state: 'connected',
      retry_in_ms: null,
      connected_since: new Date().toISOString(),
    });
    client.subscribe('devices/+/telemetry', { qos: 1 }, (err) => {
      if (err) status.last_error = `subscribe: ${err.message}`;
      changed();
    });
  });
  client.on('message', (topic, payload) => {
    const m = TOPIC.exec(topic);
    if (!m || payload.length > MAX_PAYLOAD) {
      status.malformed++;
      return;
    }
    try {
      opts.onSample(m[1]!, JSON.parse(payload.toString('utf8')));
      status.received++;
    } catch (err) {
      status.malformed++;
      status.last_error = `${topic}: ${(err as Error).message}`.slice(0, 300);
    }
  });
  client.on('error', (err) => {
    status.last_error = err.message;
    changed();
  });
  client.on('reconnect', () => {
    status.reconnects++;
    status.state = 'reconnecting';
    // The next wait doubles, up to 30 s: a broker that is away is not hammered.
    backoff = Math.min(backoff * 2, 30_000);
    client.options.reconnectPeriod = backoff;
    status.retry_in_ms = backoff;
    changed();
  });
  client.on('close', () => {
    if (status.state === 'stopped') return;
    if (status.state === 'connected') status.state = 'reconnecting';
    status.connected_since = null;
    changed();
  });
  return {
    status: () => ({ ...status }),
    publishCommand: (deviceId, command) =>
      new Promise((resolve, reject) => {
        client.publish(
          `devices/${deviceId}/commands`,
          JSON.stringify(command),
          { qos: 1 },
          (err) => (err ? reject(err) : resolve()),
        );
      }),
    async stop() {
      status.state = 'stopped';
      await client.endAsync(true);
    },
  };
}
