import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../../src/main/core/core';
import { canResume } from '../../../../src/main/core/jobs/format';

let core: Core | null = null;
afterEach(async () => {
  await core?.close();
  core = null;
});

/** A job a crash left behind, of the given kind. */
function interrupted(
  c: Core,
  type: 'update' | 'restore' | 'snapshot' | 'factory_reset' | 'rollback',
  subtype: string,
) {
  const row = c.jobs.create({
    gateway: 'gw',
    type,
    subtype,
    started_by: 'me',
    params: {},
  });
  c.jobs.store.update(row.id, {
    status: 'interrupted',
    finished_at: new Date().toISOString(),
  });
  return row.id;
}

describe('resuming an interrupted job', () => {
  it.each([
    ['restore', 'restore'],
    ['snapshot', 'snapshot'],
    ['factory_reset', 'complete'],
    ['rollback', 'rollback'],
    ['update', 'console_flash'],
  ] as const)('a %s (%s) job is refused with OTA_013 and left as it was', async (type, subtype) => {
    core = createCore({ dataDir: mkdtempSync(join(tmpdir(), 'rigger-resume-')), mode: 'test' });
    const id = interrupted(core, type, subtype);
    const listed = (await core.call('jobs.get', { job_id: id })) as { resumable: boolean };
    expect(listed.resumable).toBe(false);
    await expect(core.call('jobs.resume', { job_id: id })).rejects.toMatchObject({
      code: 'OTA_013',
      message: expect.stringMatching(/start it again/),
    });
    expect(core.jobs.store.find(id)!.status).toBe('interrupted');
  });

  it('an update written over SSH is the one kind that resumes from its journal', () => {
    const base = { type: 'update', subtype: 'download', state: {} } as const;
    expect(canResume({ ...base, status: 'interrupted' })).toBe(true);
    expect(canResume({ ...base, status: 'failed' })).toBe(false);
    expect(canResume({ ...base, status: 'failed', state: { resumable: true } })).toBe(true);
    expect(canResume({ ...base, status: 'success' })).toBe(false);
  });

  it('a console flash resumes once its chunks are journaled, never after it was cancelled', () => {
    const base = { type: 'update', subtype: 'console_flash' } as const;
    expect(canResume({ ...base, status: 'interrupted', state: {} })).toBe(false);
    expect(canResume({ ...base, status: 'interrupted', state: { resumable: true } })).toBe(true);
    expect(canResume({ ...base, status: 'failed', state: { resumable: true } })).toBe(true);
    expect(canResume({ ...base, status: 'cancelled', state: { resumable: true } })).toBe(false);
  });
});
