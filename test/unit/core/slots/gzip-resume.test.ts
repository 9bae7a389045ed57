import { describe, expect, it } from 'vitest';
import { resumeWay } from '../../../../src/main/core/slots/gzip-stream-write';

describe('where a compressed write goes on after a dropped link', () => {
  it('starts the compressed stream again when nothing is proven', () => {
    expect(resumeWay(0, 100, 40)).toBe('gzip');
  });
  it('sends the rest raw when it is smaller than the whole compressed stream', () => {
    expect(resumeWay(70, 100, 40)).toBe('raw');
  });
  it('starts the compressed stream again when the raw rest would be larger', () => {
    expect(resumeWay(50, 100, 40)).toBe('gzip');
  });
});
