import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEvents } from '../../../../src/main/core/events';
import { createJobEngine } from '../../../../src/main/core/jobs/engine';
import { estimateSeconds, noteEstimate } from '../../../../src/main/core/jobs/estimate';
import { toProgress, toSeedJob } from '../../../../src/main/core/jobs/format';
import { createJobStore } from '../../../../src/main/core/jobs/store';
import { openDatabase } from '../../../../src/main/core/store/database';
import type { RiggerEvent } from '../../../../src/shared/events';

const setup = () => {
  const db = openDatabase(mkdtempSync(join(tmpdir(), 'rigger-seed-fields-')));
  const events = createEvents();
  const seen: RiggerEvent[] = [];
  events.onAny((e) => seen.push(e));
  const store = createJobStore(db);
  return { store, engine: createJobEngine(store, events), seen };
};
const input = {
  gateway: 'gw',
  type: 'update' as const,
  subtype: 'download',
  started_by: 'me',
  params: { version: 'v5.0.5' },
};

describe("the seed's job fields", () => {
  it("progress_update carries the seed's strings and job_complete its version, size and duration", async () => {
    const { engine, seen } = setup();
    const row = engine.create(input);
    await engine.run(row.id, async (ctx) => {
      ctx.progress(452_000_000, 452_000_000, 5_200_000);
      return { message: 'Update downloaded successfully', result: {} };
    });
    const p = seen.find((e) => e.type === 'progress_update');
    expect(p).toMatchObject({
      details: { bytes_written: '452MB', bytes_total: '452MB', speed: '5.2MB/s' },
    });
    const done = seen.find((e) => e.type === 'job_complete');
    expect(done).toMatchObject({ details: { version: 'v5.0.5', size: '452MB' } });
    expect(String(done?.type === 'job_complete' ? done.details.duration : '')).toMatch(
      /^\d+s$|^\d+m( \d+s)?$/,
    );
  });

  it('fills estimated_time, eta, speed and estimated_completion from what Rigger measured', async () => {
    const { engine, store } = setup();
    // A finished write teaches Rigger this gateway's speed: 4 MB/s.
    const past = engine.create(input);
    await engine.run(past.id, async (ctx) => {
      ctx.progress(8_000_000, 8_000_000, 4_000_000);
      return { message: 'ok', result: {} };
    });
    expect(estimateSeconds(store, { gateway: 'gw', type: 'update', bytes: 40_000_000 })).toBe(10);
    expect(
      estimateSeconds(store, { gateway: 'gw', type: 'update', bytes: 40_000_000, rebootDelay: 5 }),
    ).toBeGreaterThan(15);
    const next = engine.create(input);
    const est = noteEstimate(store, next.id, { gateway: 'gw', type: 'update', bytes: 40_000_000 });
    expect(est).toBe(10);
    // Before any byte moved, the answers count down from the estimate.
    const before = store.find(next.id)!;
    const now = Date.parse(before.started_at) + 4000;
    expect(toProgress(before, now).progress.eta).toBe('00:06');
    expect(toProgress(before, now).progress.speed).toBe('0B/s');
    expect(toSeedJob(before, now).estimated_completion).not.toBeNull();
    // Once written, and after the write while the job reboots the gateway, nothing is "left" in bytes.
    const written = store.update(next.id, {
      status: 'downloaded',
      bytes_done: 40_000_000,
      bytes_total: 40_000_000,
      speed: 4_000_000,
    });
    expect(toProgress(written, now).progress.eta).toBe('00:00');
    const installing = store.update(next.id, { status: 'installing' });
    expect(toProgress(installing, now).progress.eta).toBe('00:06');
    // A job of a kind without bytes or reboot takes what the last one of its kind took.
    expect(estimateSeconds(store, { gateway: 'gw', type: 'snapshot' })).toBeGreaterThan(0);
  });
});
