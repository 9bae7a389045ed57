import { describe, expect, it } from 'vitest';
import { areaOf, AREAS } from '../../../src/renderer/src/areas';
import { href, parseRoute } from '../../../src/renderer/src/routing';

describe('hash routing', () => {
  it('routes by hash, defaulting to the gateways', () => {
    expect(parseRoute('')).toEqual(['gateways']);
    expect(parseRoute('#/')).toEqual(['gateways']);
    expect(parseRoute('#/gateways/crane%207')).toEqual(['gateways', 'crane 7']);
    expect(parseRoute('#/gateways/%E0%A4%A')).toEqual(['gateways', '%E0%A4%A']);
  });
  it('builds links that parse back', () => {
    expect(href('gateways', 'crane 7')).toBe('#/gateways/crane%207');
    expect(parseRoute(href('gateways', 'a/b'))).toEqual(['gateways', 'a/b']);
  });
});

describe('areas', () => {
  it('lists the areas in order; the built ones carry no "later" text', () => {
    expect(AREAS.map((a) => a.label)).toEqual([
      'Gateways',
      'Updates',
      'Images',
      'Recovery',
      'Backup',
      'Fleet',
      'Console',
      'Jobs',
      'History',
      'Logs',
      'Settings',
    ]);
    expect(AREAS.filter((a) => !a.later).map((a) => a.id)).toEqual([
      'gateways',
      'updates',
      'images',
      'recovery',
      'fleet',
      'console',
      'jobs',
      'history',
      'logs',
      'settings',
    ]);
    expect(areaOf('backup')?.later).toMatch(/Back up/);
    expect(areaOf('nope')).toBeUndefined();
  });
});
