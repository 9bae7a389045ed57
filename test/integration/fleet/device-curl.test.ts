import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startDeviceListener,
  type DeviceListener,
} from '../../../src/main/core/fleet/device-listener';
import { createDeviceRegistry, type DeviceRegistry } from '../../../src/main/core/fleet/devices';
import { createFirmwareRegistry } from '../../../src/main/core/fleet/firmware';
import { otaCheckFor } from '../../../src/main/core/fleet/firmware-check';
import { openDatabase } from '../../../src/main/core/store/database';
import {
  createTelemetryService,
  type TelemetryService,
} from '../../../src/main/core/telemetry/service';

const run = promisify(execFile);

/** curl as a device would run it: the seed's own examples, status code on the last line. */
async function curl(args: string[]) {
  const { stdout } = await run('curl', ['-s', '-w', '\n%{http_code}', ...args]);
  const lines = stdout.split('\n');
  const status = Number(lines.pop());
  return { status, body: JSON.parse(lines.join('\n') || 'null') as Record<string, unknown> };
}

describe('a device talking to the device listener with curl', () => {
  let listener: DeviceListener;
  let telemetry: TelemetryService;
  let devices: DeviceRegistry;
  let token: string;
  beforeAll(async () => {
    const db = openDatabase(mkdtempSync(join(tmpdir(), 'rigger-curl-')));
    devices = createDeviceRegistry({ db });
    telemetry = createTelemetryService({ db, emit: () => {} });
    const firmware = createFirmwareRegistry(db);
    firmware.add(
      {
        version: '1.1.0',
        device_type: 'crane_node',
        release_notes: 'Bug fixes and performance improvements',
      },
      {
        id: 'img-1.1.0',
        version: '1.1.0',
        sha256: 'c'.repeat(64),
        size: 15728640,
        signature: 'verified',
      },
    );
    listener = await startDeviceListener({
      host: '127.0.0.1',
      port: 0,
      devices,
      ingest: (id, body) => telemetry.ingest(id, body),
      check: (d, current) => otaCheckFor(firmware.list().firmware, d.device_type, current),
    });
    token = devices.register({
      device_id: 'device_abc123',
      device_type: 'crane_node',
      name: 'Crane 7 node',
    }).auth_token;
  });
  afterAll(async () => {
    await listener?.close();
    await telemetry?.close();
  });

  it("the seed's telemetry example is stored; a wrong token is not", async () => {
    const sample = JSON.stringify({
      timestamp: new Date().toISOString(),
      metrics: {
        cpu_usage: 45.2,
        memory_usage: 62.1,
        temperature: 42.5,
        battery_level: 85,
        wifi_signal: -65,
      },
      events: [{ type: 'button_press', data: { button: 'play' } }],
    });
    const headers = (t: string) => [
      '-H',
      'X-Device-ID: device_abc123',
      '-H',
      `X-Device-Token: ${t}`,
    ];
    const ok = await curl([
      '-X',
      'POST',
      `${listener.url}/api/v1/telemetry`,
      ...headers(token),
      '-H',
      'Content-Type: application/json',
      '-d',
      sample,
    ]);
    expect(ok).toMatchObject({ status: 202, body: { accepted: 5 } });
    const bad = await curl([
      '-X',
      'POST',
      `${listener.url}/api/v1/telemetry`,
      ...headers('dev_token_xyz'),
      '-H',
      'Content-Type: application/json',
      '-d',
      sample,
    ]);
    expect(bad).toMatchObject({ status: 401, body: { code: 'UNAUTHORIZED' } });
    const stored = telemetry.raw({ device_id: 'device_abc123', limit: 100 }).data;
    expect(stored).toHaveLength(1);
    expect(stored[0]!.metrics).toMatchObject({ cpu_usage: 45.2, wifi_signal: -65 });
  });

  it("the seed's update check example answers in its shape", async () => {
    const r = await curl([
      `${listener.url}/api/v1/ota/check`,
      '-H',
      'X-Device-ID: device_abc123',
      '-H',
      `X-Device-Token: ${token}`,
      '-H',
      'X-Firmware-Version: 1.0.0',
    ]);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      update_available: true,
      current_version: '1.0.0',
      latest_version: '1.1.0',
      checksum: 'sha256:' + 'c'.repeat(64),
      size: 15728640,
      release_notes: 'Bug fixes and performance improvements',
      mandatory: false,
    });
    expect(devices.get('device_abc123')).toMatchObject({
      status: 'online',
      firmware_version: '1.0.0',
    });
  });
});
