import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startDeviceListener } from '../src/main/core/fleet/device-listener';
import { createDeviceRegistry } from '../src/main/core/fleet/devices';
import { openDatabase } from '../src/main/core/store/database';
import { createTelemetryService } from '../src/main/core/telemetry/service';

/** Metrics per request, as the seed's "Send Telemetry" body carries several at one timestamp. */
const METRICS = ['cpu_usage', 'memory_usage', 'temperature', 'disk_usage', 'wifi_signal'];
/** Requests a second each device sends: half of what the listener's per-device bucket allows. */
const PER_DEVICE = 5;

/**
 * HTTP ingest as devices would send it: `POST /api/v1/telemetry` on the device listener, each
 * device with its own X-Device-ID and token, from another process at `rate` samples/s (a sample
 * is one metric value, as in the MQTT half) for `seconds`. Lost = sent but not stored, 429s
 * included (a real device would send those again; here they count against Rigger).
 */
export async function benchHttpIngest(dir: string, rate: number, seconds: number) {
  const db = openDatabase(join(dir, 'http'));
  const tel = createTelemetryService({ db, emit: () => {} });
  const devices = createDeviceRegistry({ db });
  const requestsPerSecond = rate / METRICS.length;
  const count = Math.ceil(requestsPerSecond / PER_DEVICE);
  const creds = Array.from({ length: count }, (_, i) => {
    const r = devices.register({
      device_id: `crane-http-${i}`,
      device_type: 'bench',
      name: `b${i}`,
    });
    return [r.device_id, r.auth_token] as const;
  });
  const listener = await startDeviceListener({
    host: '127.0.0.1',
    port: 0,
    devices,
    ingest: (id, body) => tel.ingest(id, body),
    check: () => {
      throw new Error('not used by the bench');
    },
  });
  const sender = join(dir, 'post.cjs');
  writeFileSync(
    sender,
    `const http = require('node:http');
     const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
     const creds = ${JSON.stringify(creds)}, metrics = ${JSON.stringify(METRICS)};
     const perSecond = ${requestsPerSecond}, ticks = ${seconds} * 100, t0 = Date.now();
     let sent = 0, ok = 0, refused = 0, pending = 0, n = 0;
     const post = () => {
       const [id, token] = creds[n % creds.length];
       const m = {}; for (const k of metrics) m[k] = n % 100;
       const body = JSON.stringify({ timestamp: new Date().toISOString(), metrics: m });
       n++; sent += metrics.length; pending++;
       const req = http.request(${JSON.stringify(listener.url + '/api/v1/telemetry')}, { method: 'POST', agent,
         headers: { 'Content-Type': 'application/json', 'X-Device-ID': id, 'X-Device-Token': token } },
         (res) => { res.resume(); res.on('end', () => { if (res.statusCode === 202) ok += metrics.length; else refused++; pending--; }); });
       req.on('error', () => { refused++; pending--; });
       req.end(body);
     };
     (async () => {
       for (let t = 0; t < ticks; t++) {
         const due = Math.floor((t + 1) * perSecond / 100);
         while (n < due) post();
         const wait = t0 + (t + 1) * 10 - Date.now(); if (wait > 0) await new Promise(r => setTimeout(r, wait));
       }
       while (pending > 0) await new Promise(r => setTimeout(r, 20));
       console.log(JSON.stringify({ sent, ok, refused, seconds: (Date.now() - t0) / 1000 }));
       agent.destroy();
     })();`,
  );
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  const out = await new Promise<{ sent: number; ok: number; refused: number; seconds: number }>(
    (resolve, reject) => {
      const p = spawn(process.execPath, [sender], { stdio: ['ignore', 'pipe', 'inherit'] });
      let text = '';
      p.stdout.on('data', (c) => (text += c));
      p.on('exit', (code) =>
        code === 0 ? resolve(JSON.parse(text)) : reject(new Error(`sender exited ${code}`)),
      );
    },
  );
  h.disable();
  tel.maintain();
  const stored = tel.store.count();
  await listener.close();
  await tel.close();
  db.close();
  const p95 = h.percentile(95) / 1e6;
  return [
    `Telemetry ingest over HTTP (POST /api/v1/telemetry on the device listener, ${count} devices with their tokens, ${METRICS.length} metrics a request), ${rate} samples/s for ${seconds} s from another process:`,
    `${'ingest'.padEnd(44)} sent ${out.sent}  stored ${stored}  lost ${out.sent - stored}  refused requests ${out.refused}  achieved ${(stored / out.seconds).toFixed(0)} samples/s  event-loop delay p95 ${p95.toFixed(1)} ms  (goal: ${rate} samples/s, none lost, p95 < 50 ms)`,
  ];
}
