import { describe, expect, it } from 'vitest';
import { areaOf, AREAS, NAV_AREAS } from '../../../src/renderer/src/areas';
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
      'Backups',
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
      'backup',
      'fleet',
      'console',
      'jobs',
      'history',
      'logs',
      'settings',
    ]);
    expect(areaOf('backup')?.later).toBeUndefined();
    // Built: in the navigation like every area that is not still to come.
    expect(NAV_AREAS.map((a) => a.id)).toContain('backup');
    expect(NAV_AREAS).toEqual(AREAS.filter((a) => !a.later));
    expect(areaOf('nope')).toBeUndefined();
  });
});
