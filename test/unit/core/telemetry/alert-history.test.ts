import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../src/main/core/store/database';
import { createTelemetryService } from '../../../../src/main/core/telemetry/service';
import { alertHistoryQuerySchema } from '../../../../src/shared/telemetry';

/** Firings and clearings kept in SQLite, as `alerts.history` and the Fleet page read them. */
describe('alert history', () => {
  let tel: ReturnType<typeof createTelemetryService>;
  let db: ReturnType<typeof openDatabase>;
  const send = (device: string, temperature: number) => {
    tel.ingest(device, { metrics: { temperature } });
    tel.maintain();
  };
  beforeEach(() => {
    db = openDatabase(mkdtempSync(join(tmpdir(), 'rigger-alert-history-')));
    tel = createTelemetryService({ db, emit: () => {} });
    tel.alerts.add({
      name: 'Hot cabinet',
      condition: { metric: 'temperature', operator: '>', threshold: 70, duration_seconds: 0 },
      actions: [{ type: 'notification', channel: 'desktop' }],
      enabled: true,
    });
  });
  afterEach(async () => {
    await tel.close();
    db.close();
  });

  it('keeps each firing and clearing, newest first, per device or for all', () => {
    send('crane-1', 85);
    send('crane-2', 90);
    send('crane-1', 60);
    send('crane-1', 65);
    const all = tel.alerts.history({ limit: 100 });
    expect(all.map((e) => [e.device_id, e.state, e.value])).toEqual([
      ['crane-1', 'cleared', 60],
      ['crane-2', 'firing', 90],
      ['crane-1', 'firing', 85],
    ]);
    expect(all[0]).toMatchObject({ name: 'Hot cabinet', metric: 'temperature', threshold: 70 });
    expect(tel.alerts.history({ device_id: 'crane-2', limit: 100 })).toHaveLength(1);
    expect(tel.alerts.history({ limit: 1 }).map((e) => e.state)).toEqual(['cleared']);
  });

  it('bounds what a query may ask for', () => {
    expect(alertHistoryQuerySchema.safeParse({ limit: 0 }).success).toBe(false);
    expect(alertHistoryQuerySchema.safeParse({ limit: 5000 }).success).toBe(false);
    expect(alertHistoryQuerySchema.parse({ limit: '20' })).toEqual({ limit: 20 });
  });
});
