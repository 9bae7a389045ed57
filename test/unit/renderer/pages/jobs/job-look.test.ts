import { describe, expect, it } from 'vitest';
import { jobKind, jobLook } from '../../../../../src/renderer/src/pages/jobs/job-look';

describe('job look', () => {
  it('gives every status an icon beside its colour', () => {
    expect(jobLook('success')).toEqual({ icon: 'check', tone: 'ok' });
    expect(jobLook('failed')).toEqual({ icon: 'stop', tone: 'bad' });
    expect(jobLook('interrupted')).toEqual({ icon: 'warn', tone: 'warn' });
    expect(jobLook('paused_safety')).toEqual({ icon: 'warn', tone: 'warn' });
    expect(jobLook('cancelled')).toEqual({ icon: 'cross', tone: 'muted' });
    expect(jobLook('downloading').icon).toBe('sync');
  });

  it('names the kind of job in words', () => {
    expect(jobKind('update', 'download')).toBe('Update (write)');
    expect(jobKind('update', 'install')).toBe('Update (install)');
    expect(jobKind('update', 'deploy')).toBe('Custom image');
    expect(jobKind('factory_reset', '')).toBe('Factory reset');
    expect(jobKind('snapshot', '')).toBe('Snapshot');
  });
});
