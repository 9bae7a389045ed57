import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEvents } from '../../../../src/main/core/events';
import { createJobEngine } from '../../../../src/main/core/jobs/engine';
import { summarize, toSeedJob } from '../../../../src/main/core/jobs/format';
import { createJobStore } from '../../../../src/main/core/jobs/store';
import { openDatabase } from '../../../../src/main/core/store/database';
import type { RiggerEvent } from '../../../../src/shared/events';

const setup = () => {
  const db = openDatabase(mkdtempSync(join(tmpdir(), 'rigger-jobs-')));
  const events = createEvents();
  const seen: RiggerEvent[] = [];
  events.onAny((e) => seen.push(e));
  const store = createJobStore(db);
  return { db, store, engine: createJobEngine(store, events), seen };
};
const input = {
  gateway: 'gw',
  type: 'update' as const,
  subtype: 'download',
  started_by: 'me',
  params: { version: 'v1.0.0' },
};

describe('job engine', () => {
  it('one writing job per gateway (OTA_001)', () => {
    const { engine } = setup();
    engine.create(input);
    expect(() => engine.create(input)).toThrow(expect.objectContaining({ code: 'OTA_001' }));
    expect(() => engine.create({ ...input, gateway: 'other' })).not.toThrow();
  });
  it('journals each step before and after, and completes with job_complete', async () => {
    const { engine, store, seen } = setup();
    const row = engine.create(input);
    await engine.run(row.id, async (ctx) => {
      await ctx.step('one', async () => {
        expect(store.steps(row.id)[0]).toMatchObject({ name: 'one', status: 'running' });
      });
      await expect(
        ctx.step('two', async () => Promise.reject(new Error('boom'))),
      ).rejects.toThrow();
      return { message: 'ok', result: {} };
    });
    expect(store.steps(row.id).map((s) => s.status)).toEqual(['done', 'failed']);
    expect(store.find(row.id)!.status).toBe('success');
    expect(seen.some((e) => e.type === 'job_complete' && e.status === 'success')).toBe(true);
  });
  it('throttles progress events to a few per second', async () => {
    const { engine, seen } = setup();
    const row = engine.create(input);
    await engine.run(row.id, async (ctx) => {
      for (let i = 1; i <= 10000; i++) ctx.progress(i, 10000, 100);
      return { message: 'ok', result: {} };
    });
    const n = seen.filter((e) => e.type === 'progress_update').length;
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan(20);
  });
  it('a job left active by a dead process is swept to interrupted and shown resumable', () => {
    const { store } = setup();
    const engine = createJobEngine(store, createEvents());
    const row = engine.create(input);
    store.update(row.id, {
      status: 'downloading',
      owner_pid: 2 ** 22 + 12345,
      state: { resumable: true },
    });
    const running = store.stepStart(row.id, 'write_image');
    expect(store.sweepInterrupted()).toEqual([row.id]);
    expect(toSeedJob(store.find(row.id)!)).toMatchObject({
      status: 'interrupted',
      resumable: true,
      cancelable: true,
    });
    expect(store.steps(row.id).find((s) => s.id === running)!.status).toBe('failed');
  });
  it('leaves alone a job whose process still runs', () => {
    const { store, engine } = setup();
    const row = engine.create(input);
    store.update(row.id, { status: 'downloading', owner_pid: process.ppid });
    expect(store.sweepInterrupted()).toEqual([]);
  });
  it('summary counts active, pending and today', () => {
    const { store, engine } = setup();
    const a = engine.create(input);
    store.update(a.id, { status: 'failed', finished_at: new Date().toISOString() });
    engine.create({ ...input, gateway: 'g2' });
    expect(summarize(store.list({}))).toEqual({
      active: 1,
      pending: 1,
      completed_today: 0,
      failed_today: 1,
    });
  });
});
