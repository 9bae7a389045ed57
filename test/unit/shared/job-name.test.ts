import { describe, expect, it } from 'vitest';
import { jobName } from '../../../src/shared/format/job-name';

describe('jobName', () => {
  it('names a job by its kind and version, as `rigger jobs` and the Jobs page both show it', () => {
    expect(jobName({ type: 'update', subtype: 'download', update: { version: 'v5.1.1' } })).toBe(
      'Update (write) v5.1.1',
    );
    expect(jobName({ type: 'update', subtype: 'install', update: { version: 'v5.1.1' } })).toBe(
      'Update (install) v5.1.1',
    );
    expect(jobName({ type: 'factory_reset', subtype: 'complete' })).toBe('Factory reset');
    expect(jobName({ type: 'rollback', subtype: 'rollback' })).toBe('Rollback');
  });
});
